// Real-browser check of the strategy report (issue: strategy document).
// Usage: node check.mjs REPORT.html SCREENSHOT.png
// Fails (exit 1) on console errors, a blank page, charts without size, any serious or
// critical axe-core (WCAG 2.1 A/AA) violation, sideways page scroll at 390 px, chart text
// under 4.5:1 contrast against what it sits on, or a printed PDF (read back with poppler's
// pdfinfo/pdftotext) that is not A4, lacks the protective marking at the top and bottom or a
// page number on any page, or leaves a page other than the last less than a fifth full.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const [report, shot] = process.argv.slice(2);
if (!report || !shot) {
  console.error('usage: node check.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
// The flags keep Chromium from reaching for the network, which this machine does not have.
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
const fail = (msg) => { console.error(`FAIL: ${msg}`); failed = true; };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`); });
  await page.goto(pathToFileURL(path.resolve(report)).href, { waitUntil: 'load' });
  // A very long document (a large portfolio's annex) is shot as its first screens only.
  const tall = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: shot, fullPage: tall < 30000, timeout: 120000 });
  console.log(`screenshot: ${path.resolve(shot)}`);
  for (const p of problems) fail(`console: ${p}`);

  const text = await page.evaluate(() => document.body.innerText.length);
  if (text < 2000) fail(`page looks blank (${text} characters of text)`);
  const charts = await page.evaluate(() => [...document.querySelectorAll('svg')].map((s) => {
    const r = s.getBoundingClientRect();
    return { id: s.getAttribute('aria-labelledby'), w: r.width, h: r.height, marks: s.querySelectorAll('rect').length };
  }));
  // The board paper carries the charts; its annex (system by system, in tables) may have none.
  const part = await page.evaluate(() => document.querySelector('meta[name="cloudready:part"]')?.content || 'paper');
  if (part !== 'annex' && charts.length < 2) fail(`expected at least 2 charts, found ${charts.length}`);
  for (const c of charts) {
    if (!(c.w > 50 && c.h > 30 && c.marks > 0)) fail(`chart ${c.id} has no size or marks: ${JSON.stringify(c)}`);
  }
  console.log(`charts: ${charts.map((c) => `${c.id.split(' ')[0]} ${Math.round(c.w)}x${Math.round(c.h)}`).join(', ')}`);

  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.violations) {
    console.log(`axe ${v.impact}: ${v.id} (${v.nodes.length}) ${v.help}`);
  }
  for (const v of serious) fail(`axe ${v.impact} ${v.id}: ${v.help} — e.g. ${v.nodes[0]?.target}`);
  console.log(`axe: ${result.passes.length} rules passed, ${result.violations.length} violations (${serious.length} serious or critical)`);

  // Chart text against what it sits on: the cell rectangle under it, else the page.
  const contrast = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const out = [];
    for (const t of document.querySelectorAll('svg text')) {
      const tb = t.getBoundingClientRect();
      const cx = tb.left + tb.width / 2; const cy = tb.top + tb.height / 2;
      let bg = [255, 255, 255];
      for (const r of t.ownerSVGElement.querySelectorAll('rect')) {
        const rb = r.getBoundingClientRect();
        if (cx >= rb.left && cx <= rb.right && cy >= rb.top && cy <= rb.bottom) bg = rgb(getComputedStyle(r).fill);
      }
      out.push({ text: t.textContent.slice(0, 30), ratio: ratio(rgb(getComputedStyle(t).fill), bg) });
    }
    return out;
  });
  const low = contrast.filter((c) => c.ratio < 4.5);
  for (const c of low.slice(0, 5)) fail(`chart text "${c.text}" has contrast ${c.ratio.toFixed(2)}:1 (needs 4.5:1)`);
  const least = contrast.reduce((m, c) => Math.min(m, c.ratio), Infinity);
  console.log(`chart text: ${contrast.length} labels, lowest contrast ${least.toFixed(2)}:1`);

  // A phone: no sideways scroll of the page itself (wide tables scroll in their own box).
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(pathToFileURL(path.resolve(report)).href, { waitUntil: 'load' });
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) fail(`at 390 px the page scrolls sideways (${wide} px wide)`);
  const cut = await phone.evaluate(() => [...document.querySelectorAll('svg')]
    .filter((s) => s.getBoundingClientRect().right > 390).length);
  if (cut) fail(`${cut} chart(s) wider than a 390 px screen`);
  const phoneShot = shot.replace(/\.png$/, '') + '-390.png';
  await phone.screenshot({ path: phoneShot, fullPage: false });
  console.log(`390 px: page ${wide} px wide; screenshot ${path.resolve(phoneShot)}`);

  // Print: A4, marking top and bottom and a page number on every page, no page nearly empty.
  const pdf = shot.replace(/\.png$/, '') + '.pdf';
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] || 0);
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  if (!size || Math.abs(Number(size[1]) - 595.28) > 2 || Math.abs(Number(size[2]) - 841.89) > 2) {
    fail(`printed page size is not A4: ${size ? size[0] : 'unknown'}`);
  }
  const marking = await page.evaluate(() => document.querySelector('meta[name=classification]')?.content);
  if (!marking) fail('no protective marking in <meta name="classification">');
  const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const pageBlocks = bbox.split('<page ').slice(1);
  const height = 841.89;
  const sparse = [];
  pageBlocks.forEach((block, i) => {
    const n = i + 1;
    const words = [...block.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</g)]
      .map((m) => ({ top: Number(m[1]), bottom: Number(m[2]), w: m[3] }));
    const text = (from, to) => words.filter((w) => w.top >= from && w.bottom <= to).map((w) => w.w).join(' ');
    const head = text(0, 50); const foot = text(height - 50, height);
    if (marking && !head.includes(marking.split(' ')[0]) ) fail(`page ${n}: no marking at the top (found "${head}")`);
    if (marking && !foot.includes(marking.split(' ').slice(-1)[0])) fail(`page ${n}: no marking at the bottom (found "${foot}")`);
    if (marking && !(head.replace(/\s+/g, ' ').includes(marking) && foot.replace(/\s+/g, ' ').includes(marking))) fail(`page ${n}: marking "${marking}" not whole at top and bottom`);
    if (!new RegExp(`Page ${n} of ${pages}`).test(foot)) fail(`page ${n}: no page number in the footer (found "${foot}")`);
    const body = words.filter((w) => w.top > 50 && w.bottom < height - 50);
    const used = body.length ? (Math.max(...body.map((w) => w.bottom)) - 50) / (height - 100) : 0;
    if (n < pageBlocks.length && used < 0.2) sparse.push(`page ${n} (${Math.round(used * 100)}% used)`);
  });
  if (pageBlocks.length !== pages) fail(`pdftotext read ${pageBlocks.length} pages, pdfinfo says ${pages}`);
  for (const s of sparse) fail(`nearly empty printed ${s}`);
  console.log(`print: ${pages} A4 pages, marked "${marking}" top and bottom with page numbers; ${path.resolve(pdf)}`);
} finally {
  await browser.close();
}
if (failed) process.exit(1);
console.log('browser check passed');
