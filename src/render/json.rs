//! The assessment as JSON (`cloudready-assessment/v1`), one workload per line.
//!
//! A large inventory's document is many times its size (20,000 workloads give ~800,000
//! criteria, ~400 MB), so this writer is the hot path of `assess --format json`. Nearly all of
//! a criterion's text is the pack's own (id, question, field, findings, advice), identical for
//! every workload; it is escaped once per run and copied from then on, and only what varies
//! (status, answer, score, location) goes through serde_json per criterion. The bytes are
//! exactly those of serde's derived `Serialize` for the same document; a test holds the two
//! equal, so the derive stays the one definition of the shape.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};

use serde::Serialize;

use crate::assessment::{Assessment, CriterionDoc, PackDoc, WorkloadDoc};

/// Writes the document: the header keys, then `"workloads":[` with one workload per line, then
/// the portfolio. Same keys, same order as `Assessment`'s `Serialize`.
pub fn write(doc: &Assessment, out: &mut impl Write) -> io::Result<()> {
    write_entries(doc, doc.workloads.iter(), out)
}

/// [`write()`] with the workload entries given one at a time (the document's own list is not
/// read): each can be made, written and dropped in turn.
pub fn write_entries<'a, W: std::borrow::Borrow<WorkloadDoc<'a>>>(
    doc: &Assessment,
    entries: impl Iterator<Item = W>,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut memo = Memo::default();
    out.write_all(b"{")?;
    put(out, "schema", &doc.schema)?;
    out.write_all(b",")?;
    put(out, "generator", &doc.generator)?;
    out.write_all(b",")?;
    put(out, "agency", &doc.agency)?;
    out.write_all(b",")?;
    put(out, "reference_date", &doc.reference_date)?;
    out.write_all(b",\"workloads\":[")?;
    let mut any = false;
    for (i, w) in entries.enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        workload(out, w.borrow(), &mut memo)?;
        any = true;
    }
    if any {
        out.write_all(b"\n")?;
    }
    out.write_all(b"],")?;
    put(out, "portfolio", &doc.portfolio)?;
    out.write_all(b"}\n")
}

fn value(out: &mut impl Write, v: &(impl Serialize + ?Sized)) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v).map_err(io::Error::from)
}

/// `"key":value`.
fn put(out: &mut impl Write, key: &str, v: &(impl Serialize + ?Sized)) -> io::Result<()> {
    out.write_all(b"\"")?;
    out.write_all(key.as_bytes())?;
    out.write_all(b"\":")?;
    value(out, v)
}

fn workload(out: &mut impl Write, w: &WorkloadDoc, memo: &mut Memo) -> io::Result<()> {
    out.write_all(b"{")?;
    put(out, "id", w.id)?;
    out.write_all(b",")?;
    put(out, "name", w.name)?;
    out.write_all(b",")?;
    put(out, "owner", &w.owner)?;
    out.write_all(b",")?;
    put(out, "classification", &w.classification)?;
    out.write_all(b",")?;
    put(out, "criticality", &w.criticality)?;
    out.write_all(b",")?;
    put(out, "current_hosting", &w.current_hosting)?;
    out.write_all(b",")?;
    put(out, "overall", &w.overall)?;
    out.write_all(b",")?;
    put(out, "band", &w.band)?;
    out.write_all(b",")?;
    put(out, "confidence", &w.confidence)?;
    out.write_all(b",\"principles\":[")?;
    for (i, p) in w.principles.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        pack(out, p, memo)?;
    }
    out.write_all(b"],\"framework\":")?;
    pack(out, &w.framework, memo)?;
    out.write_all(b",")?;
    put(out, "blockers", &w.blockers)?;
    out.write_all(b",")?;
    put(out, "waived_blockers", &w.waived_blockers)?;
    out.write_all(b",")?;
    put(out, "hosting", &w.hosting)?;
    out.write_all(b",")?;
    put(out, "strategy", &w.strategy)?;
    out.write_all(b",")?;
    put(out, "wave", &w.wave)?;
    out.write_all(b",")?;
    put(out, "location", &w.location)?;
    out.write_all(b"}")
}

fn pack(out: &mut impl Write, p: &PackDoc, memo: &mut Memo) -> io::Result<()> {
    out.write_all(b"{")?;
    put(out, "id", p.id)?;
    out.write_all(b",")?;
    put(out, "title", p.title)?;
    out.write_all(b",")?;
    put(out, "score", &p.score)?;
    out.write_all(b",")?;
    put(out, "confidence", &p.confidence)?;
    if !p.criteria.is_hidden() {
        out.write_all(b",\"criteria\":[")?;
        for (i, c) in p.criteria.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            criterion(out, &c, memo)?;
        }
        out.write_all(b"]")?;
    }
    out.write_all(b"}")
}

fn criterion(out: &mut impl Write, c: &CriterionDoc, memo: &mut Memo) -> io::Result<()> {
    memo.prefix(out, c)?;
    // Per workload: `blocker_when` may make a criterion a blocker for some workloads only.
    out.write_all(if c.blocker { b"true" } else { b"false" })?;
    out.write_all(b",\"status\":\"")?;
    out.write_all(c.status.as_str().as_bytes())?;
    out.write_all(b"\",\"answer\":")?;
    value(out, &c.answer)?;
    out.write_all(b",\"score\":")?;
    match c.score {
        Some(s) => out.write_all(itoa(u32::from(s), &mut [0; 10]))?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"finding\":")?;
    match &c.finding {
        Cow::Borrowed(f) => memo.shared(out, f)?,
        Cow::Owned(f) => value(out, f)?,
    }
    out.write_all(b",\"advice\":")?;
    match c.advice {
        Some(a) => memo.shared(out, a)?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"location\":")?;
    match &c.location {
        Some(l) => {
            out.write_all(b"{\"file\":")?;
            memo.shared(out, l.file)?;
            out.write_all(b",\"line\":")?;
            out.write_all(itoa(l.line, &mut [0; 10]))?;
            out.write_all(b",\"column\":")?;
            out.write_all(itoa(l.column, &mut [0; 10]))?;
            out.write_all(b"}")?;
        }
        None => out.write_all(b"null")?,
    }
    out.write_all(b"}")
}

/// A criterion's constant part, up to the value of `blocker`.
fn criterion_prefix(c: &CriterionDoc) -> io::Result<Vec<u8>> {
    let mut p = Vec::with_capacity(256);
    p.extend_from_slice(b"{");
    put(&mut p, "id", c.id)?;
    p.extend_from_slice(b",");
    put(&mut p, "question", c.question)?;
    p.extend_from_slice(b",");
    put(&mut p, "field", c.field)?;
    p.extend_from_slice(b",");
    put(&mut p, "weight", &c.weight)?;
    p.extend_from_slice(b",");
    p.extend_from_slice(b"\"blocker\":");
    Ok(p)
}

fn itoa(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// Escaped JSON of the texts every workload shares, memoised on first sight and keyed by
/// address: only texts borrowed for the document's whole lifetime (the packs' criteria,
/// findings and advice, the file paths) go in, so an address always means the same text. A
/// text made for one criterion (a formatted finding, an answer) is escaped as it is written.
#[derive(Default)]
struct Memo {
    /// Criterion id's address → the criterion's constant prefix.
    prefixes: FastMap<Vec<u8>>,
    /// A text's address and length → its escaped JSON string.
    texts: FastMap<Vec<u8>>,
}

type FastMap<V> = HashMap<(usize, usize), V, BuildHasherDefault<AddressHasher>>;

/// Keys are addresses and lengths, already well spread: mixing them once is enough.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

fn key(s: &str) -> (usize, usize) {
    (s.as_ptr() as usize, s.len())
}

impl Memo {
    /// Writes `s`, which lives as long as the document, as a JSON string.
    fn shared(&mut self, out: &mut impl Write, s: &str) -> io::Result<()> {
        let v = match self.texts.entry(key(s)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut v = Vec::with_capacity(s.len() + 2);
                value(&mut v, s)?;
                e.insert(v)
            }
        };
        out.write_all(v)
    }

    fn prefix(&mut self, out: &mut impl Write, c: &CriterionDoc) -> io::Result<()> {
        let v = match self.prefixes.entry(key(c.id)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(criterion_prefix(c)?),
        };
        out.write_all(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written bytes against serde's derive, line by line, for `inputs`.
    fn same_as_derive(inputs: &[(String, Vec<u8>)]) {
        let inv = crate::load::load_from_bytes(inputs, &Default::default())
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        let settings = crate::pipeline::Settings::builtin().unwrap();
        let doc = settings.assess(&inv, &[]);

        let mut out = Vec::new();
        write(&doc, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, serde_json::to_value(&doc).unwrap());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), doc.workloads.len() + 2);
        for (line, w) in lines[1..lines.len() - 1].iter().zip(&doc.workloads) {
            assert_eq!(
                line.trim_end_matches(','),
                serde_json::to_string(w).unwrap(),
                "workload {}",
                w.id
            );
        }
        // The criteria were recomputed while writing, and came out complete.
        let first = &parsed["workloads"][0]["principles"][0]["criteria"];
        assert_eq!(
            first.as_array().map(Vec::len),
            Some(settings.packs.principles[0].criteria.len())
        );
    }

    #[test]
    fn bytes_equal_the_derived_serialisation_on_the_example() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inventory.yaml");
        same_as_derive(&[(path.into(), std::fs::read(path).unwrap())]);
    }

    #[test]
    fn bytes_equal_the_derived_serialisation_on_synthetic_and_hostile_text() {
        let hostile = "schema: cloudready/v1\nagency: { name: \"Q \\\"quoted\\\" \\t tab\" }\nworkloads:\n  - id: odd\n    name: \"<script>alert(1)</script> & {{ x }} \\u00e9\\u2028 \\\\ back\"\n    owner: \"ctl \\u0001 char\"\n    classification: \"OFFICIAL: Sensitive\"\n";
        same_as_derive(&[
            (
                "synth.yaml".into(),
                crate::synth::inventory(300).into_bytes(),
            ),
            (
                "dir/with \"quotes\".yaml".into(),
                hostile.as_bytes().to_vec(),
            ),
        ]);
    }
}
