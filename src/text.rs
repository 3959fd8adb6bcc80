//! Inventory text on its way out: control characters (C0, DEL, C1) are replaced with U+FFFD, so
//! a workload name cannot drive the terminal that shows it (colours, titles, OSC 8 links that
//! swallow the rest of the screen) or hide itself in a file; markdown escaping for documents.

use std::borrow::Cow;
use std::io::Write;

/// What a control character becomes: visible, and meaning nothing to a terminal.
pub const REPLACEMENT: char = '\u{FFFD}';

/// A character no text output may carry as it is. Line breaks and tabs are layout, kept where
/// the output has lines ([`clean`]); one-line contexts use [`clean_line`].
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// `s` with every control character except `\n` and `\t` replaced.
pub fn clean(s: &str) -> Cow<'_, str> {
    replace(s, |c| is_control(c) && c != '\n' && c != '\t')
}

/// `s` on one line: line breaks and tabs become spaces, other control characters are replaced.
pub fn clean_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' => ' ',
                c if is_control(c) => REPLACEMENT,
                c => c,
            })
            .collect(),
    )
}

fn replace(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&bad) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if bad(c) { REPLACEMENT } else { c })
            .collect(),
    )
}

/// [`clean`] for text that may hold cloudready's own colour codes (`ESC [ digits ; m`): those
/// are kept, every other control character is replaced. The text shown on a terminal passes
/// through it last, whatever produced it.
pub fn clean_keeping_colour(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b'
            && let Some(n) = sgr_len(rest)
        {
            out.push_str(&rest[..n]);
            rest = &rest[n..];
            continue;
        }
        out.push(if is_control(c) && c != '\n' && c != '\t' {
            REPLACEMENT
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of a colour sequence (`ESC [ 0-9; m`) at the start of `s`.
fn sgr_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.get(1) != Some(&b'[') {
        return None;
    }
    let mut i = 2;
    while i < b.len() && i < 24 && (b[i].is_ascii_digit() || b[i] == b';') {
        i += 1;
    }
    (b.get(i) == Some(&b'm')).then_some(i + 1)
}

/// Escapes text for a markdown paragraph or table cell: markup characters get a backslash (so
/// `<script>` is shown, not run, `[x](javascript:…)` is no link and `|` does not split a cell),
/// line breaks become spaces (no heading can start mid-value), control characters are replaced.
pub fn markdown(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                o.push('\\');
                o.push(c);
            }
            '\n' | '\r' => o.push(' '),
            c if is_control(c) => o.push(REPLACEMENT),
            c => o.push(c),
        }
    }
    o
}

/// Passes UTF-8 text through, replacing control characters other than `\n`, `\t` and the `\r`
/// of a `\r\n` as they stream by (a C1 control's two bytes, or a `\r\n`, may arrive in separate
/// writes). A lone `\r` would send a terminal's cursor back over the line.
pub struct CleanWriter<'w> {
    out: &'w mut dyn Write,
    /// A 0xC2 lead byte held back from the previous write.
    pending_c2: bool,
    /// A `\r` held back from the previous write: kept only if `\n` follows.
    pending_cr: bool,
    /// JSON text: a control character is written as its `\u00XX` escape (it can only sit
    /// inside a string there, so the data stays exact and the text stays clean).
    json: bool,
}

impl<'w> CleanWriter<'w> {
    pub fn new(out: &'w mut dyn Write) -> Self {
        CleanWriter {
            out,
            pending_c2: false,
            pending_cr: false,
            json: false,
        }
    }
    /// For JSON: serde_json escapes C0 controls but writes DEL and C1 controls raw.
    pub fn json(out: &'w mut dyn Write) -> Self {
        CleanWriter {
            json: true,
            ..CleanWriter::new(out)
        }
    }
    fn replacement(&mut self, c: u32) -> std::io::Result<()> {
        if self.json {
            write!(self.out, "\\u{c:04x}")
        } else {
            self.out.write_all(FFFD)
        }
    }
    /// Writes out a lead byte held back at the very end.
    pub fn finish(&mut self) -> std::io::Result<()> {
        if std::mem::take(&mut self.pending_cr) {
            self.replacement(u32::from(b'\r'))?;
        }
        if std::mem::take(&mut self.pending_c2) {
            self.out.write_all(&[0xC2])?;
        }
        self.out.flush()
    }
}

const FFFD: &[u8] = "\u{FFFD}".as_bytes();

impl Write for CleanWriter<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.write_all(b)?;
        Ok(b.len())
    }
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        let mut start = 0;
        let mut i = 0;
        if self.pending_cr && !b.is_empty() {
            self.pending_cr = false;
            if b[0] == b'\n' {
                self.out.write_all(b"\r")?;
            } else {
                self.replacement(u32::from(b'\r'))?;
            }
        }
        if self.pending_c2 && !b.is_empty() {
            self.pending_c2 = false;
            if (0x80..=0x9F).contains(&b[0]) {
                self.replacement(u32::from(b[0]))?;
                start = 1;
                i = 1;
            } else {
                self.out.write_all(&[0xC2])?;
            }
        }
        while i < b.len() {
            let c = b[i];
            let bad_c0 = (c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t')) || c == 0x7F;
            if c == b'\r' {
                match b.get(i + 1) {
                    Some(b'\n') => i += 2,
                    Some(_) => {
                        self.out.write_all(&b[start..i])?;
                        self.replacement(u32::from(c))?;
                        i += 1;
                        start = i;
                    }
                    None => {
                        self.out.write_all(&b[start..i])?;
                        self.pending_cr = true;
                        return Ok(());
                    }
                }
            } else if bad_c0 {
                self.out.write_all(&b[start..i])?;
                self.replacement(u32::from(c))?;
                i += 1;
                start = i;
            } else if c == 0xC2 {
                match b.get(i + 1) {
                    Some(&n) if (0x80..=0x9F).contains(&n) => {
                        self.out.write_all(&b[start..i])?;
                        self.replacement(u32::from(n))?;
                        i += 2;
                        start = i;
                    }
                    Some(_) => i += 1,
                    None => {
                        self.out.write_all(&b[start..i])?;
                        self.pending_c2 = true;
                        return Ok(());
                    }
                }
            } else {
                i += 1;
            }
        }
        self.out.write_all(&b[start..])
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The text of a piece of HTML with its tags taken out (entities are left as they are).
pub fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_c0_del_and_c1_but_keeps_layout() {
        assert_eq!(
            clean("a\x1b]8;;http://x\x07b\n\tc\u{7f}\u{9b}"),
            "a\u{FFFD}]8;;http://x\u{FFFD}b\n\tc\u{FFFD}\u{FFFD}"
        );
        assert!(matches!(clean("plain é"), Cow::Borrowed(_)));
        assert_eq!(clean_line("a\nb\tc\rd\x00"), "a b c d\u{FFFD}");
    }

    #[test]
    fn keeps_only_its_own_colour_codes() {
        let s = "\x1b[1m\x1b[31merror\x1b[0m: \x1b]0;title\x07 \x1b[2J";
        assert_eq!(
            clean_keeping_colour(s),
            "\x1b[1m\x1b[31merror\x1b[0m: \u{FFFD}]0;title\u{FFFD} \u{FFFD}[2J"
        );
    }

    #[test]
    fn markdown_neutralises_markup() {
        assert_eq!(
            markdown("<script>[x](javascript:alert(1))|\n# h\x1b"),
            "\\<script\\>\\[x\\](javascript:alert(1))\\| \\# h\u{FFFD}"
        );
    }

    #[test]
    fn json_writer_escapes_del_and_c1() {
        let mut out = Vec::new();
        let mut w = CleanWriter::json(&mut out);
        w.write_all("{\"a\":\"x\u{7f}\u{9b}\u{e9}\"}".as_bytes())
            .unwrap();
        w.finish().unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, "{\"a\":\"x\\u007f\\u009b\u{e9}\"}");
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a"], "x\u{7f}\u{9b}\u{e9}");
    }

    #[test]
    fn writer_replaces_across_split_writes() {
        let text = "a\u{85}b\x1bc\u{e9}\r\nd\re\r";
        let bytes = text.as_bytes();
        for split in 0..=bytes.len() {
            let mut out = Vec::new();
            let mut w = CleanWriter::new(&mut out);
            w.write_all(&bytes[..split]).unwrap();
            w.write_all(&bytes[split..]).unwrap();
            w.finish().unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "a\u{FFFD}b\u{FFFD}c\u{e9}\r\nd\u{FFFD}e\u{FFFD}",
                "split at {split}"
            );
        }
    }
}
