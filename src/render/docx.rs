//! `strategy -o FILE.docx`: the strategy draft as a Word document.
//!
//! The content is the markdown draft's, rendered from the same (possibly agency-replaced)
//! `strategy.md.tera` with the same context, so Word never drifts from the markdown and HTML
//! drafts. The markdown is parsed (pulldown-cmark) and mapped: headings to Word's built-in
//! Heading 1..4 styles (the navigation pane and a table of contents work), paragraphs, bulleted
//! and numbered lists, tables to Word tables. The charts are the HTML report's SVG
//! (`_charts.html.tera`), rasterised with resvg in the one embedded font (the machine's fonts
//! are never read, so the pictures are the same everywhere) and embedded after the executive
//! summary with their captions. The protective marking sits in every page's header and footer
//! (and not again in the body), the footer numbers the pages ("Page N of M", from Word's PAGE
//! and NUMPAGES fields), and the document's properties carry its title, the agency as author,
//! and the marking (subject, keywords and a `Classification` property). Normal is marked the
//! default paragraph style, so every paragraph without a style of its own has one.

use std::path::Path;
use std::sync::Arc;

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Footer, Header, IndentLevel, Level, LevelJc,
    LevelText, LineSpacing, NumPages, NumberFormat, Numbering, NumberingId, PageNum, Paragraph,
    Pic, Run, RunFonts, Shading, SpecialIndentType, Start, Style, StyleType, Table, TableCell,
    TableRow, WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use resvg::usvg::fontdb;
use resvg::{tiny_skia, usvg};

use crate::assets;
use crate::error::{Error, Result};
use crate::output::Overwrite;
use crate::render::office;
use crate::render::strategy::{DocFormat, Evidence, Part, Templates};

/// The most a chart may take on an A4 page with default margins, in CSS pixels.
const MAX_CHART: (f32, f32) = (600.0, 820.0);
/// Charts are rasterised at this multiple of their size, to stay sharp when printed.
const CHART_SCALE: f32 = 2.0;
/// English Metric Units per CSS pixel (Word's unit for picture sizes).
const EMU_PER_PX: f32 = 9525.0;
// docx-rs defines numbering 1 itself (a decimal list): ours start clear of it.
const BULLETS: usize = 11;
const NUMBERS: usize = 12;

/// One chart of the HTML report: its SVG and its caption.
pub struct Chart {
    pub svg: String,
    pub caption: String,
}

/// Renders the strategy draft (the markdown template and the charts partial, with the same
/// context) and writes it as a Word document to `path`.
pub fn write_strategy(
    templates: &Templates,
    ctx: &tera::Context,
    evidence: Evidence,
    meta: &Meta,
    path: &Path,
    overwrite: Overwrite,
) -> Result<()> {
    let markdown = templates.render(DocFormat::Markdown, ctx, evidence)?;
    // The same charts as the HTML draft: the partial's, and the dated roadmap's timeline.
    let mut charts = templates.render_named("_charts.html.tera", ctx)?;
    charts.push_str(&templates.render_named("_timeline.html.tera", ctx)?);
    write(&markdown, &charts, meta, path, overwrite)
}

/// What the document's properties and page furniture say besides its body.
pub struct Meta<'a> {
    /// The protective marking: page headers and footers, subject, keywords.
    pub marking: &'a str,
    /// The agency, as the document's author.
    pub author: String,
}

/// One part of the document (the paper or its annex) as a sealed Word package, in memory.
pub fn part_bytes(
    templates: &Templates,
    part: Part,
    ctx: &tera::Context,
    evidence: Evidence,
    meta: &Meta,
) -> Result<Vec<u8>> {
    let markdown = templates.render_part(DocFormat::Markdown, part, ctx, evidence)?;
    let charts = match part {
        Part::Paper => {
            let mut c = templates.render_named("_charts.html.tera", ctx)?;
            c.push_str(&templates.render_named("_timeline.html.tera", ctx)?);
            c
        }
        Part::Annex => String::new(),
    };
    to_bytes(&markdown, &charts, meta)
}

/// Writes the sealed document to `path` atomically, refusing to replace a file cloudready did
/// not write (or that was edited since) unless `overwrite` says so.
pub fn write(
    markdown: &str,
    charts_html: &str,
    meta: &Meta,
    path: &Path,
    overwrite: Overwrite,
) -> Result<()> {
    let bytes = to_bytes(markdown, charts_html, meta)?;
    office::write(path, &bytes, overwrite)
}

/// The sealed document's bytes.
pub fn to_bytes(markdown: &str, charts_html: &str, meta: &Meta) -> Result<Vec<u8>> {
    let charts = extract_charts(charts_html);
    let images = rasterise(&charts);
    let body = without_marking_lines(markdown, meta.marking);
    let docx = document(body, &charts, &images, meta.marking);
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.pack(&mut buf)
        .map_err(|e| Error::file("<document>", e.to_string()))?;
    let title = title_of(markdown);
    let package = patch(&buf.into_inner(), |name, xml| match name {
        "docProps/core.xml" => Some(core_properties(xml, &title, meta)),
        "word/styles.xml" => Some(normal_is_default(xml)),
        "docProps/custom.xml" => Some(classification_property(xml, meta.marking)),
        _ => None,
    })
    .map_err(|e| Error::file("<document>", e))?;
    office::seal(&package)
}

/// The markdown draft opens and closes with its marking, for a reader of the markdown; in
/// Word the page headers and footers carry it, and a body paragraph would say it twice.
fn without_marking_lines<'m>(markdown: &'m str, marking: &str) -> &'m str {
    let line = format!("**{marking}**");
    let mut body = markdown;
    if let Some(rest) = body.strip_prefix(&line) {
        body = rest.trim_start_matches('\n');
    }
    let trimmed = body.trim_end();
    if let Some(at) = trimmed.rfind('\n')
        && trimmed[at + 1..].starts_with(&line)
    {
        body = &trimmed[..at];
    }
    body
}

/// The draft's title: its first level-1 heading, as text.
fn title_of(markdown: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| markdown_unescaped(t.trim()))
        .unwrap_or_default()
}

/// Text without markdown's backslash escapes (`\(` → `(`).
fn markdown_unescaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// docx-rs writes "unknown" as the author and has no title, subject or keywords: the core
/// properties get the title, the agency and the marking.
fn core_properties(xml: &str, title: &str, meta: &Meta) -> String {
    let author = xml_text(if meta.author.is_empty() {
        "cloudready"
    } else {
        &meta.author
    });
    let marking = xml_text(meta.marking);
    let xml = xml
        .replace(
            "<dc:creator>unknown</dc:creator>",
            &format!("<dc:creator>{author}</dc:creator>"),
        )
        .replace(
            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
            &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
        );
    let extra = format!(
        "<dc:title>{}</dc:title><dc:subject>{marking}</dc:subject><cp:keywords>{marking}</cp:keywords>",
        xml_text(title)
    );
    match xml.rfind("</cp:coreProperties>") {
        Some(at) => format!("{}{extra}{}", &xml[..at], &xml[at..]),
        None => xml,
    }
}

/// The marking as a custom `Classification` property, after the seal's (docx-rs keeps custom
/// properties in a hash map, so a second one of its own would come out in any order).
fn classification_property(xml: &str, marking: &str) -> String {
    let property = format!(
        "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"3\" name=\"Classification\"><vt:lpwstr>{}</vt:lpwstr></property>",
        xml_text(marking)
    );
    match xml.rfind("</Properties>") {
        Some(at) => format!("{}{property}{}", &xml[..at], &xml[at..]),
        None => xml.to_string(),
    }
}

/// Word (and python-docx) give a paragraph without a style the default paragraph style: the
/// one marked `w:default`, which docx-rs leaves unmarked.
fn normal_is_default(xml: &str) -> String {
    xml.replacen(
        "<w:style w:type=\"paragraph\" w:styleId=\"Normal\">",
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">",
        1,
    )
}

/// The package with each part `edit` returns new text for replaced, stored at a fixed time so
/// the same document gives the same bytes.
fn patch(
    package: &[u8],
    edit: impl Fn(&str, &str) -> Option<String>,
) -> std::result::Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(package.len())));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().map_err(|e| e.to_string())?.into_owned();
        let mut text = String::new();
        let edited = if name.ends_with(".xml") {
            f.read_to_string(&mut text).map_err(|e| e.to_string())?;
            edit(&name, &text)
        } else {
            None
        };
        match edited {
            None if text.is_empty() => out.raw_copy_file(f).map_err(|e| e.to_string())?,
            edited => {
                let opts = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .last_modified_time(zip::DateTime::default());
                out.start_file(name, opts).map_err(|e| e.to_string())?;
                out.write_all(edited.as_deref().unwrap_or(&text).as_bytes())
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    let out = out.finish().map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// The `<svg>` and `<figcaption>` of each `<figure>` in the rendered charts partial.
pub fn extract_charts(html: &str) -> Vec<Chart> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<figure") {
        let Some(len) = rest[start..].find("</figure>") else {
            break;
        };
        let figure = &rest[start..start + len];
        rest = &rest[start + len + "</figure>".len()..];
        let svg = between(figure, "<svg", "</svg>").map(|s| format!("<svg{s}</svg>"));
        let caption = between(figure, "<figcaption", "</figcaption>")
            .and_then(|c| c.split_once('>').map(|(_, t)| t))
            .map(|t| unescape(&crate::text::strip_tags(t)))
            .unwrap_or_default();
        if let Some(svg) = svg {
            out.push(Chart { svg, caption });
        }
    }
    out
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

/// The entities tera's HTML escaping writes.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The report's chart styles (templates/_style.css.tera), for an SVG drawn outside the page.
/// Text is set in the embedded font, whatever family the report's stylesheet names.
const CHART_STYLE: &str = "<style>text { font-family: 'DejaVu Sans', sans-serif; font-size: 12px; fill: #1f2328; } text.cell { font-weight: 600; } .bar { fill: #0b4f8a; } .bar.wave { fill: #1a7f37; } .baseline { stroke: #1f2328; stroke-width: 1; }</style>";

/// The family name of [`assets::CHART_FONT`].
const CHART_FAMILY: &str = "DejaVu Sans";

/// The fonts a chart may use: the embedded one only, under every generic family, so no chart
/// depends on what the machine has installed.
fn chart_fonts() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_font_source(fontdb::Source::Binary(Arc::new(assets::CHART_FONT)));
    db.set_serif_family(CHART_FAMILY);
    db.set_sans_serif_family(CHART_FAMILY);
    db.set_cursive_family(CHART_FAMILY);
    db.set_fantasy_family(CHART_FAMILY);
    db.set_monospace_family(CHART_FAMILY);
    db
}

/// A chart picture: PNG bytes and the chart's size in CSS pixels.
type Image = (Vec<u8>, f32, f32);

/// Each chart as a PNG with its size in CSS pixels; `None` for one that cannot be drawn (it
/// then appears as its caption only).
fn rasterise(charts: &[Chart]) -> Vec<Option<Image>> {
    let opt = usvg::Options {
        font_family: CHART_FAMILY.to_string(),
        fontdb: Arc::new(chart_fonts()),
        ..usvg::Options::default()
    };
    charts.iter().map(|c| rasterise_one(&c.svg, &opt)).collect()
}

fn rasterise_one(svg: &str, opt: &usvg::Options) -> Option<Image> {
    let mut svg = svg.to_string();
    if !svg.contains("xmlns=") {
        svg = svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
    }
    // The style goes first inside the root element.
    let at = svg.find('>')? + 1;
    svg.insert_str(at, CHART_STYLE);
    let tree = usvg::Tree::from_str(&svg, opt).ok()?;
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    let mut pixmap = tiny_skia::Pixmap::new(
        (w * CHART_SCALE).ceil() as u32,
        (h * CHART_SCALE).ceil() as u32,
    )?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(CHART_SCALE, CHART_SCALE),
        &mut pixmap.as_mut(),
    );
    Some((pixmap.encode_png().ok()?, w, h))
}

fn styles(docx: Docx) -> Docx {
    // Word knows its built-in headings by these ids and (lower-case) names; the outline level
    // puts them in the navigation pane and the table of contents.
    let sizes = [32, 26, 24, 22, 22, 22];
    let mut docx = docx;
    for (i, size) in sizes.iter().enumerate() {
        let n = i + 1;
        docx = docx.add_style(
            Style::new(format!("Heading{n}"), StyleType::Paragraph)
                .name(format!("heading {n}"))
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .outline_lvl(i)
                .line_spacing(
                    LineSpacing::new()
                        .before(if n <= 2 { 360 } else { 240 })
                        .after(80),
                )
                .size(*size)
                .bold()
                .color("0B4F8A"),
        );
    }
    docx.add_style(
        Style::new("Caption", StyleType::Paragraph)
            .name("caption")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .italic()
            .size(18)
            .color("57606A"),
    )
    .add_abstract_numbering(
        AbstractNumbering::new(BULLETS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )
            .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
        ),
    )
    .add_abstract_numbering(
        AbstractNumbering::new(NUMBERS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("decimal"),
                LevelText::new("%1."),
                LevelJc::new("left"),
            )
            .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
        ),
    )
    .add_numbering(Numbering::new(BULLETS, BULLETS))
    .add_numbering(Numbering::new(NUMBERS, NUMBERS))
}

/// The marking line of the page header and footer: bold, centred, red, as the PSPF asks.
fn marking_paragraph(marking: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(marking).bold().size(24).color("C00000"))
}

/// "Page N of M", from Word's PAGE and NUMPAGES fields.
fn page_number() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text("Page ").size(18))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(" of ").size(18))
        .add_num_pages(NumPages::new())
}

/// Text styling in force while walking the markdown.
#[derive(Default, Clone, Copy)]
struct Inline {
    bold: bool,
    italic: bool,
}

fn run(text: &str, st: Inline, code: bool) -> Run {
    let mut r = Run::new().add_text(text);
    if st.bold {
        r = r.bold();
    }
    if st.italic {
        r = r.italic();
    }
    if code {
        r = r.fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
    }
    r
}

/// A table being collected.
#[derive(Default)]
struct TableState {
    rows: Vec<TableRow>,
    cells: Vec<TableCell>,
    head: bool,
    /// The markdown's column alignments (`---:` right-aligns numbers).
    align: Vec<pulldown_cmark::Alignment>,
}

/// A piece of the document's body, in order.
enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// Each chart's picture (when it could be drawn) and its caption.
fn chart_blocks(charts: &[Chart], images: &[Option<Image>]) -> Vec<Block> {
    let mut out = Vec::new();
    for (c, img) in charts.iter().zip(images) {
        if let Some((png, w, h)) = img {
            let k = (MAX_CHART.0 / w).min(MAX_CHART.1 / h).min(1.0);
            let pic = Pic::new_with_dimensions(
                png.clone(),
                (w * CHART_SCALE) as u32,
                (h * CHART_SCALE) as u32,
            )
            .size((w * k * EMU_PER_PX) as u32, (h * k * EMU_PER_PX) as u32);
            out.push(Block::Paragraph(Box::new(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .keep_next(true)
                    .add_run(Run::new().add_image(pic)),
            )));
        }
        out.push(Block::Paragraph(Box::new(
            Paragraph::new()
                .style("Caption")
                .add_run(Run::new().add_text(&c.caption)),
        )));
    }
    out
}

/// The markdown, walked event by event into Word blocks.
struct Walker {
    blocks: Vec<Block>,
    /// The charts, until they are placed.
    charts: Vec<Block>,
    para: Option<Paragraph>,
    st: Inline,
    /// The kinds of the lists we are inside: `true` for numbered.
    lists: Vec<bool>,
    table: Option<TableState>,
    h2_seen: usize,
}

impl Walker {
    fn new(charts: Vec<Block>) -> Self {
        Walker {
            blocks: Vec::new(),
            charts,
            para: None,
            st: Inline::default(),
            lists: Vec::new(),
            table: None,
            h2_seen: 0,
        }
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                let bold = self.st.bold || self.table.as_ref().is_some_and(|t| t.head);
                let st = Inline { bold, ..self.st };
                self.add_run(run(&t, st, false));
            }
            Event::Code(t) => self.add_run(run(&t, self.st, true)),
            Event::SoftBreak => self.continue_run(Run::new().add_text(" ")),
            Event::HardBreak => {
                self.continue_run(Run::new().add_break(BreakType::TextWrapping));
            }
            // Comments (the digest and the seal of the markdown draft) and raw HTML stay out.
            _ => {}
        }
    }

    /// Adds to the paragraph being written, starting one if none is.
    fn add_run(&mut self, r: Run) {
        self.para = Some(self.para.take().unwrap_or_default().add_run(r));
    }

    /// Adds to the paragraph being written, if there is one.
    fn continue_run(&mut self, r: Run) {
        self.para = self.para.take().map(|p| p.add_run(r));
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { level, .. } => {
                if level == HeadingLevel::H2 {
                    self.h2_seen += 1;
                    // The charts close the executive summary, as in the HTML report.
                    if self.h2_seen == 2 {
                        self.blocks.append(&mut self.charts);
                    }
                }
                let n = (level as usize).clamp(1, 6);
                self.para = Some(
                    Paragraph::new()
                        .style(&format!("Heading{n}"))
                        .keep_next(true),
                );
            }
            Tag::Paragraph if self.para.is_none() => self.para = Some(Paragraph::new()),
            Tag::List(start) => self.lists.push(start.is_some()),
            Tag::Item => {
                let id = if self.lists.last() == Some(&true) {
                    NUMBERS
                } else {
                    BULLETS
                };
                let depth = self.lists.len().saturating_sub(1);
                self.para = Some(
                    Paragraph::new()
                        .numbering(NumberingId::new(id), IndentLevel::new(depth.min(8))),
                );
            }
            Tag::Strong => self.st.bold = true,
            Tag::Emphasis => self.st.italic = true,
            Tag::Table(align) => {
                self.table = Some(TableState {
                    align,
                    ..TableState::default()
                })
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.head = true;
                }
            }
            Tag::TableCell => self.para = Some(Paragraph::new()),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Strong => self.st.bold = false,
            TagEnd::Emphasis => self.st.italic = false,
            TagEnd::TableCell => self.end_cell(),
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let cells = std::mem::take(&mut t.cells);
                    // A row is never split across pages.
                    t.rows.push(TableRow::new(cells).cant_split());
                    t.head = false;
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let table = Table::new(t.rows).width(5000, WidthType::Pct);
                    self.blocks.push(Block::Table(Box::new(table)));
                    // Two tables in a row would merge in Word: keep a paragraph between.
                    self.blocks.push(Block::Paragraph(Box::default()));
                }
            }
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item => {
                if self.table.is_none()
                    && let Some(p) = self.para.take()
                {
                    self.blocks.push(Block::Paragraph(Box::new(p)));
                }
            }
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        if let (Some(t), Some(mut p)) = (&mut self.table, self.para.take()) {
            p = match t.align.get(t.cells.len()) {
                Some(pulldown_cmark::Alignment::Right) => p.align(AlignmentType::Right),
                Some(pulldown_cmark::Alignment::Center) => p.align(AlignmentType::Center),
                _ => p,
            };
            let mut cell = TableCell::new().add_paragraph(p);
            if t.head {
                cell = cell.shading(Shading::new().fill("DDE4EE"));
            }
            t.cells.push(cell);
        }
    }

    /// The blocks in order: a paragraph left open, then the charts if no second section
    /// placed them.
    fn finish(mut self) -> Vec<Block> {
        if let Some(p) = self.para.take() {
            self.blocks.push(Block::Paragraph(Box::new(p)));
        }
        self.blocks.append(&mut self.charts);
        self.blocks
    }
}

/// An empty A4 document with the styles, the default font and the marking in every page's
/// header and footer.
fn page(marking: &str) -> Docx {
    let font = RunFonts::new()
        .ascii("Arial")
        .hi_ansi("Arial")
        .cs("Arial")
        .east_asia("Arial");
    styles(Docx::new())
        .default_fonts(font)
        .default_size(21)
        .default_line_spacing(LineSpacing::new().after(120))
        // A4, as Australian government documents are printed.
        .page_size(11906, 16838)
        .header(Header::new().add_paragraph(marking_paragraph(marking)))
        .footer(
            Footer::new()
                .add_paragraph(marking_paragraph(marking))
                .add_paragraph(page_number()),
        )
        .custom_property(office::SEAL_PROPERTY, office::PLACEHOLDER)
}

fn document(markdown: &str, charts: &[Chart], images: &[Option<Image>], marking: &str) -> Docx {
    let mut walker = Walker::new(chart_blocks(charts, images));
    for ev in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        walker.event(ev);
    }
    walker
        .finish()
        .into_iter()
        .fold(page(marking), |docx, b| match b {
            Block::Paragraph(p) => docx.add_paragraph(*p),
            Block::Table(t) => docx.add_table(*t),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_come_out_of_their_figures_with_captions() {
        let html = r#"<div><figure><svg width="10" height="10" viewBox="0 0 10 10"><rect width="5" height="5" fill="red"></rect></svg>
<figcaption id="f">Figure 1. Scores &amp; bands</figcaption></figure><figure><p>no chart</p></figure></div>"#;
        let charts = extract_charts(html);
        assert_eq!(charts.len(), 1);
        assert_eq!(charts[0].caption, "Figure 1. Scores & bands");
        let imgs = rasterise(&charts);
        let (png, w, h) = imgs[0].as_ref().expect("drawn");
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!((*w, *h), (10.0, 10.0));
    }

    /// The charts' fonts are the embedded one and nothing else: no system font is read, so the
    /// same chart gives the same picture on any machine, with fonts installed or none.
    #[test]
    fn charts_use_only_the_embedded_font() {
        let db = chart_fonts();
        assert_eq!(db.len(), 1);
        let face = db.faces().next().expect("one face");
        assert!(matches!(face.source, fontdb::Source::Binary(_)));
        assert!(face.families.iter().any(|(n, _)| n == CHART_FAMILY));
        for generic in [
            fontdb::Family::Serif,
            fontdb::Family::SansSerif,
            fontdb::Family::Monospace,
            fontdb::Family::Name("Arial"),
        ] {
            let query = fontdb::Query {
                families: &[generic, fontdb::Family::SansSerif],
                ..fontdb::Query::default()
            };
            assert_eq!(db.query(&query), Some(face.id));
        }
    }

    /// Text in a chart is drawn (it needs a font, and the machine's are never asked), whatever
    /// family the SVG names, and drawing it twice gives the same bytes.
    #[test]
    fn chart_text_is_drawn_in_the_embedded_font() {
        let text = |family: &str| Chart {
            svg: format!(
                r#"<svg width="120" height="24" viewBox="0 0 120 24"><text x="4" y="17" style="font-family: {family}">Wave 1 – 12</text></svg>"#
            ),
            caption: String::new(),
        };
        let blank = Chart {
            svg: r#"<svg width="120" height="24" viewBox="0 0 120 24"></svg>"#.to_string(),
            caption: String::new(),
        };
        let charts = [text("Arial"), text("'No Such Font'"), blank];
        let imgs = rasterise(&charts);
        let ink = |i: usize| {
            let (png, _, _) = imgs[i].as_ref().expect("drawn");
            let pixmap = tiny_skia::Pixmap::decode_png(png).expect("a PNG");
            pixmap
                .pixels()
                .iter()
                .filter(|p| p.red() < 128 && p.green() < 128 && p.blue() < 128)
                .count()
        };
        assert!(ink(0) > 100, "the text left {} dark pixels", ink(0));
        assert_eq!(
            ink(0),
            ink(1),
            "an unknown family falls back to the embedded font"
        );
        assert_eq!(ink(2), 0);
        assert_eq!(imgs[0], rasterise(&charts[..1])[0]);
    }
}
