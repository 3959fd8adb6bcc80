//! What a YAML scalar's text means: null, boolean, integer, float or text.
//!
//! The rules are serde-saphyr 2.1's for an untyped value with `strict_booleans` (YAML 1.2 core
//! schema: `true`/`false` only, `0x`/`0o`/`0b` radixes, `_` between digits, no leading zeros,
//! `.inf`/`.nan` refused as values), ported from its `parse_scalars.rs` (MIT OR Apache-2.0) so
//! the event builder reads every scalar exactly as the serde path did; the differential tests
//! in `events/tests.rs` hold the two to that.
//!
//! A port, not a call: serde-saphyr keeps these rules private (`parse_scalars` is `pub(crate)`)
//! and granit-parser only scans, so the one public way to them is deserializing each scalar on
//! its own, which costs a deserializer per value and knows nothing of the scalar's place or
//! style. Validation also reads a number back from its place in the file with these same rules
//! (`source_spelling`), which is how `1.10` stays `1.10` where a field wants text.

/// A plain (unquoted, untagged) scalar's value, or `Err` with the message for a number that
/// cannot be a value (infinite or not a number).
pub(crate) fn plain(text: &str) -> Result<Resolved, String> {
    if is_nullish(text) {
        return Ok(Resolved::Null);
    }
    let t = trim(text);
    let Some(&first) = t.as_bytes().first() else {
        return Ok(Resolved::Str);
    };
    // Most scalars are words: nothing below can match one that starts with a letter other
    // than the first letters of the boolean spellings.
    if first.is_ascii_alphabetic() && !matches!(first, b't' | b'T' | b'f' | b'F') {
        return Ok(Resolved::Str);
    }
    if let Some(b) = bool12(t) {
        return Ok(Resolved::Bool(b));
    }
    if t.starts_with('-') {
        if !leading_zero_decimal(t)
            && let Some(v) = int_signed(t)
            && let Ok(v) = i64::try_from(v)
        {
            return Ok(Resolved::Int(v));
        }
    } else if let Some(v) = int_unsigned(t)
        && let Ok(v) = u64::try_from(v)
    {
        return Ok(match i64::try_from(v) {
            Ok(i) => Resolved::Int(i),
            Err(_) => Resolved::Float(v as f64),
        });
    }
    match float_incl_overflow(t) {
        Some(v) if v.is_finite() => Ok(Resolved::Float(v)),
        Some(_) => Err(non_finite(text)),
        None => Ok(Resolved::Str),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// The text itself.
    Str,
}

pub(crate) fn non_finite(text: &str) -> String {
    format!("non-finite float `{text}` is not allowed here")
}

/// Empty, `~`, `null`, `Null` or `NULL` (for a plain scalar).
pub(crate) fn is_nullish(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// ASCII padding accepted around a typed scalar (quoted and block scalars may carry it).
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

pub(crate) fn bool12(s: &str) -> Option<bool> {
    match trim(s) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `-0127`, `+0127`, `0127`: a decimal with a redundant leading zero.
pub(crate) fn leading_zero_decimal(t: &str) -> bool {
    let s = trim(t);
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Digits with single `_` between them, in `radix`.
fn digits_u128(digits: &str, radix: u32) -> Option<u128> {
    let mut val: u128 = 0;
    let mut saw = false;
    let bytes = digits.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let d = match b {
            b'_' => {
                let prev_ok = i > 0 && bytes[i - 1] != b'_';
                let next_ok = i + 1 < bytes.len() && bytes[i + 1] != b'_';
                if !prev_ok || !next_ok {
                    return None;
                }
                continue;
            }
            b'0'..=b'9' => u32::from(b - b'0'),
            b'a'..=b'f' if radix > 10 => 10 + u32::from(b - b'a'),
            b'A'..=b'F' if radix > 10 => 10 + u32::from(b - b'A'),
            _ => return None,
        };
        if d >= radix {
            return None;
        }
        val = val.checked_mul(u128::from(radix))?;
        val = val.checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(val)
}

fn radix_and_digits(rest: &str) -> (u32, &str) {
    if let Some(r) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
        (2, r)
    } else {
        (10, rest)
    }
}

/// An integer with an optional sign, as i128.
pub(crate) fn int_signed(s: &str) -> Option<i128> {
    let t = trim(s);
    let (neg, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    let (radix, digits) = radix_and_digits(rest);
    if radix == 10 && digits.starts_with('0') && digits != "0" {
        return None;
    }
    let mag = digits_u128(digits, radix)?;
    if neg {
        if mag == (i128::MAX as u128) + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(mag).ok()?.checked_neg()
        }
    } else {
        i128::try_from(mag).ok()
    }
}

/// An integer without a minus sign, as u128.
pub(crate) fn int_unsigned(s: &str) -> Option<u128> {
    let t = trim(s);
    if t.starts_with('-') {
        return None;
    }
    let rest = t.strip_prefix('+').unwrap_or(t);
    let (radix, digits) = radix_and_digits(rest);
    if radix == 10 && digits.starts_with('0') && digits != "0" {
        return None;
    }
    digits_u128(digits, radix)
}

/// A YAML 1.2 float; a numeral that overflows to infinity (`1e999`) is returned as infinite
/// rather than refused, and alphabetic spellings Rust would take (`inf`, `nan`) are not floats.
pub(crate) fn float_incl_overflow(s: &str) -> Option<f64> {
    let t = trim(s);
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
            if !unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                return None;
            }
            match t.parse::<f64>() {
                Ok(v) if v.is_infinite() => Some(v),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_spellings() {
        assert_eq!(plain("~"), Ok(Resolved::Null));
        assert_eq!(plain("yes"), Ok(Resolved::Str));
        assert_eq!(plain("True"), Ok(Resolved::Bool(true)));
        assert_eq!(plain("0x1F"), Ok(Resolved::Int(31)));
        assert_eq!(plain("1_000"), Ok(Resolved::Int(1000)));
        assert_eq!(plain("-0o17"), Ok(Resolved::Int(-15)));
        assert_eq!(plain("012"), Ok(Resolved::Float(12.0)));
        assert_eq!(plain("1e3"), Ok(Resolved::Float(1000.0)));
        assert_eq!(plain("inf"), Ok(Resolved::Str));
        assert!(plain(".inf").is_err());
        assert!(plain("1e999").is_err());
        assert_eq!(
            plain("18446744073709551615"),
            Ok(Resolved::Float(18446744073709551615u64 as f64))
        );
    }
}
