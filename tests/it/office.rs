//! Office formats: spreadsheet inventories in (built here, at test time, with rust_xlsxwriter),
//! an Excel assessment and a Word strategy out.

use crate::common::*;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::path::Path;

const CSV: &str = "tests/fixtures/eco/workloads.csv";

/// The CSV's rows as a workbook, written as a person would type them into Excel: numbers as
/// numbers, `true`/`false` as booleans, dates as date cells; an empty first sheet of notes
/// (the `Workloads` sheet is chosen by name); the table starting at B2, not A1.
fn csv_as_xlsx(path: &Path) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(root().join(CSV))
        .unwrap();
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Read me")
        .unwrap()
        .write_string(0, 0, "The inventory is on the Workloads sheet.")
        .unwrap();
    let sheet = book.add_worksheet().set_name("Workloads").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec.unwrap();
        for (c, cell) in rec.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16 + 1);
            if cell.is_empty() {
                continue;
            }
            if r > 1
                && let Ok(n) = cell.parse::<f64>()
            {
                sheet.write_number(r, c, n).unwrap();
            } else if r > 1 && (cell == "true" || cell == "false") {
                sheet.write_boolean(r, c, cell == "true").unwrap();
            } else if r > 1
                && cell.len() == 10
                && let Ok(d) = ExcelDateTime::parse_from_str(cell)
            {
                sheet.write_datetime_with_format(r, c, &d, &date).unwrap();
            } else {
                sheet.write_string(r, c, cell).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

/// The CSV's rows as an OpenDocument spreadsheet, written at test time: the package (a zip
/// with a `mimetype`, a manifest and `content.xml`) with typed cells as LibreOffice writes
/// them: floats, booleans and dates carry their value in attributes.
fn csv_as_ods(path: &Path) {
    use std::io::Write;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(root().join(CSV))
        .unwrap();
    let mut rows = String::new();
    for (r, rec) in rdr.records().enumerate() {
        rows.push_str("<table:table-row>");
        for cell in rec.unwrap().iter() {
            let typed = r > 0 && !cell.is_empty();
            let c = if typed && cell.parse::<f64>().is_ok() {
                format!(
                    r#"<table:table-cell office:value-type="float" office:value="{cell}"><text:p>{cell}</text:p></table:table-cell>"#
                )
            } else if typed && (cell == "true" || cell == "false") {
                format!(
                    r#"<table:table-cell office:value-type="boolean" office:boolean-value="{cell}"><text:p>{}</text:p></table:table-cell>"#,
                    cell.to_uppercase()
                )
            } else if typed
                && cell.len() == 10
                && cell.as_bytes()[4] == b'-'
                && cell.as_bytes()[7] == b'-'
            {
                format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{cell}"><text:p>30/06/2027</text:p></table:table-cell>"#
                )
            } else if cell.is_empty() {
                "<table:table-cell/>".to_string()
            } else {
                format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    esc(cell)
                )
            };
            rows.push_str(&c);
        }
        rows.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Inventory">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// Drops what names the input file (locations), which differs by design.
fn without_locations(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("location");
            m.remove("source");
            m.remove("inputs");
            for x in m.values_mut() {
                without_locations(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(without_locations),
        _ => {}
    }
}

fn assess_json(path: &str) -> Value {
    let r = run(&["assess", path, "--format", "json", "--date", "2026-11-01"]);
    assert_eq!(r.code, 0, "{path}: {}", r.stderr);
    let mut v: Value = serde_json::from_str(&r.stdout).unwrap();
    without_locations(&mut v);
    v
}

#[test]
fn an_xlsx_inventory_assesses_exactly_like_the_same_rows_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("workloads.xlsx");
    csv_as_xlsx(&xlsx);
    let from_csv = assess_json(CSV);
    let from_xlsx = assess_json(xlsx.to_str().unwrap());
    assert!(
        from_csv["workloads"].as_array().unwrap().len() >= 3,
        "the comparison covers real rows"
    );
    assert_eq!(from_csv, from_xlsx);
}

#[test]
fn an_ods_inventory_assesses_exactly_like_the_same_rows_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let ods = dir.path().join("workloads.ods");
    csv_as_ods(&ods);
    assert_eq!(assess_json(CSV), assess_json(ods.to_str().unwrap()));
}

#[test]
fn a_bad_cell_is_named_by_sheet_and_cell_with_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("inventory.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("Workloads").unwrap();
    for (c, h) in ["id", "name", "users", "current.hosting"]
        .iter()
        .enumerate()
    {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 0, "pay").unwrap();
    s.write_string(1, 1, "Payroll").unwrap();
    s.write_number(1, 2, 10.0).unwrap();
    s.write_string(1, 3, "on-premises").unwrap();
    s.write_string(6, 0, "hr").unwrap();
    s.write_string(6, 1, "HR").unwrap();
    s.write_string(6, 2, "lots").unwrap();
    s.write_string(6, 3, "mainframe-in-the-basement").unwrap();
    book.save(&p).unwrap();
    let r = cloudready()
        .current_dir(dir.path())
        .args(["validate", "inventory.xlsx"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--> inventory.xlsx: Workloads!C7 (column `users`)"),
        "{err}"
    );
    assert!(err.contains("found `lots`"), "{err}");
    // The validator's own messages (an unknown hosting value) name the cell too.
    assert!(
        err.contains("--> inventory.xlsx: Workloads!D7 (column `current.hosting`)"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn import_turns_a_spreadsheet_into_tidy_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("workloads.xlsx");
    csv_as_xlsx(&xlsx);
    let from_xlsx = run(&["import", xlsx.to_str().unwrap()]);
    assert_eq!(from_xlsx.code, 0, "{}", from_xlsx.stderr);
    let from_csv = run(&["import", CSV]);
    assert_eq!(from_xlsx.stdout, from_csv.stdout);
    assert!(from_xlsx.stdout.contains("end_of_support: 2027-06-30"));
}

#[test]
fn a_file_that_is_not_a_spreadsheet_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("fake.xlsx");
    std::fs::write(&p, "id,name\na,A\n").unwrap();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not a readable spreadsheet"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn assess_writes_a_sealed_deterministic_workbook_and_never_to_stdout() {
    use calamine::Reader;
    let r = run(&["assess", "examples/inventory.yaml", "--format", "xlsx"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o assessment.xlsx"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    for p in [&a, &b] {
        let r = run(&[
            "--quiet",
            "assess",
            "examples/inventory.yaml",
            "--format",
            "xlsx",
            "-o",
            p.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(&b).unwrap(),
        "same inventory, same bytes"
    );

    // Read back with an independent reader: the sheets, and one row per workload.
    let json = assess_json("examples/inventory.yaml");
    let ids: Vec<&str> = json["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Workloads", "Criteria", "Portfolio"]);
    let ws = book.worksheet_range("Workloads").unwrap();
    // Below the marking row and the header.
    assert_eq!(
        ws.get((0, 0)).map(|c| c.to_string()),
        Some("TOP SECRET".into())
    );
    assert_eq!(ws.get((1, 0)).map(|c| c.to_string()), Some("id".into()));
    let got: Vec<String> = ws.rows().skip(2).map(|r| r[0].to_string()).collect();
    assert_eq!(got, ids);

    // Our own file is replaced; a file saved by someone else (here: any other zip) is not.
    let r = run(&[
        "--quiet",
        "assess",
        "examples/inventory.yaml",
        "--format",
        "xlsx",
        "-o",
        a.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let foreign = dir.path().join("theirs.xlsx");
    csv_as_xlsx(&foreign);
    let before = std::fs::read(&foreign).unwrap();
    let r = run(&[
        "--quiet",
        "assess",
        "examples/inventory.yaml",
        "--format",
        "xlsx",
        "-o",
        foreign.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
}

/// A part of a zip package, as text.
fn part(bytes: &[u8], prefix: &str) -> Vec<(String, String)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        if name.starts_with(prefix) {
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            out.push((name, String::from_utf8_lossy(&b).into_owned()));
        }
    }
    out
}

#[test]
fn strategy_writes_a_word_document_with_headings_tables_charts_and_marking() {
    let r = run(&["strategy", "examples/inventory.yaml", "--format", "docx"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o strategy.docx"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.docx"), dir.path().join("b.docx"));
    for p in [&a, &b] {
        // The extension alone picks Word.
        let r = run(&[
            "--quiet",
            "strategy",
            "examples/inventory.yaml",
            "-o",
            p.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(&b).unwrap(),
        "same inventory, same bytes"
    );

    let body = &part(&bytes, "word/document.xml")[0].1;
    let json = assess_json("examples/inventory.yaml");
    for p in json["portfolio"]["principles"].as_array().unwrap() {
        let title = p["title"].as_str().unwrap().replace('\'', "&apos;");
        let heading = body
            .split("<w:p>")
            .chain(body.split("<w:p "))
            .any(|para| para.contains("w:val=\"Heading3\"") && para.contains(&title));
        assert!(heading, "no Heading 3 for {title}");
    }
    assert!(body.contains("w:val=\"Heading1\""));
    assert!(body.matches("<w:tbl>").count() >= 5, "tables");
    let pngs = part(&bytes, "word/media/")
        .into_iter()
        .filter(|(n, _)| n.ends_with(".png"))
        .count();
    assert_eq!(pngs, 4, "the four charts");
    let styles = &part(&bytes, "word/styles.xml")[0].1;
    assert!(styles.contains("heading 1") && styles.contains("w:outlineLvl"));
    // The highest classification in the example is TOP SECRET: in every header and footer.
    let headers = part(&bytes, "word/header");
    let footers = part(&bytes, "word/footer");
    assert!(!headers.is_empty() && !footers.is_empty());
    for (name, xml) in headers.iter().chain(&footers) {
        assert!(xml.contains(">TOP SECRET<"), "{name}: {xml}");
    }
    // Page N of M from Word's own fields, in every footer.
    for (name, xml) in &footers {
        assert!(
            xml.contains(">PAGE<") && xml.contains(">NUMPAGES<"),
            "{name}: {xml}"
        );
        assert!(
            xml.contains(">Page <") && xml.contains("> of <"),
            "{name}: {xml}"
        );
    }
    // The marking is in the headers and footers, not again as the body's first or last line.
    let inside = body.split_once("<w:body>").unwrap().1;
    let first = inside.split_once("</w:p>").unwrap().0;
    assert!(!first.contains(">TOP SECRET<"), "first paragraph: {first}");
    let before_section = inside.rsplit_once("<w:sectPr").unwrap().0;
    let last = before_section.rsplit_once("<w:p ").unwrap().1;
    assert!(!last.contains(">TOP SECRET<"), "last paragraph: {last}");
    // Normal is the default paragraph style, so an unstyled paragraph has one.
    assert!(
        styles.contains("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"),
        "{styles}"
    );
    // Title, the agency as author, the marking in the properties.
    let core = &part(&bytes, "docProps/core.xml")[0].1;
    assert!(
        core.contains("<dc:title>Department of Example Affairs (DEA) Cloud Strategy</dc:title>"),
        "{core}"
    );
    assert!(
        core.contains("<dc:creator>Department of Example Affairs</dc:creator>"),
        "{core}"
    );
    assert!(!core.contains("unknown"), "{core}");
    assert!(
        core.contains("<dc:subject>TOP SECRET</dc:subject>"),
        "{core}"
    );
    assert!(
        core.contains("<cp:keywords>TOP SECRET</cp:keywords>"),
        "{core}"
    );
    let custom = &part(&bytes, "docProps/custom.xml")[0].1;
    assert!(custom.contains("name=\"Classification\""), "{custom}");

    // Our own document is replaced; one someone else wrote is not.
    let r = run(&[
        "--quiet",
        "strategy",
        "examples/inventory.yaml",
        "-o",
        a.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let theirs = dir.path().join("theirs.docx");
    std::fs::write(&theirs, b"PK\x03\x04 a document someone else wrote").unwrap();
    let r = run(&[
        "--quiet",
        "strategy",
        "examples/inventory.yaml",
        "-o",
        theirs.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
}

#[test]
fn the_input_limit_counts_what_a_spreadsheet_unpacks_to() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("workloads.xlsx");
    csv_as_xlsx(&p);
    let packed = std::fs::metadata(&p).unwrap().len();
    // Above the file's size, below what it unpacks to.
    let limit = (packed + 100).to_string();
    let r = run(&["validate", p.to_str().unwrap(), "--max-input-size", &limit]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("unpacks to"), "{}", r.stderr);
    assert!(r.stderr.contains("--max-input-size"), "{}", r.stderr);
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
