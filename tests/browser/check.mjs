// Real-browser check of the strategy report (issue: strategy document).
// Usage: node check.mjs REPORT.html SCREENSHOT.png
// Fails (exit 1) on console errors, a blank page, charts without size, or any serious or
// critical axe-core (WCAG 2.1 A/AA) violation.
import { chromium } from 'playwright-core';
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
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${path.resolve(shot)}`);
  for (const p of problems) fail(`console: ${p}`);

  const text = await page.evaluate(() => document.body.innerText.length);
  if (text < 2000) fail(`page looks blank (${text} characters of text)`);
  const charts = await page.evaluate(() => [...document.querySelectorAll('svg')].map((s) => {
    const r = s.getBoundingClientRect();
    return { id: s.getAttribute('aria-labelledby'), w: r.width, h: r.height, marks: s.querySelectorAll('rect').length };
  }));
  if (charts.length < 2) fail(`expected at least 2 charts, found ${charts.length}`);
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
} finally {
  await browser.close();
}
if (failed) process.exit(1);
console.log('browser check passed');
