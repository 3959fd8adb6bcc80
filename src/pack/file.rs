//! The pack file format as serde reads it: every value that a message may point at is spanned,
//! conditions and answers keep their written order.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::datafile::Ordered;

use super::Readiness;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PackFile {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    #[serde(default = "one")]
    pub(super) weight: Spanned<f64>,
    pub(super) source: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) readiness: Option<Spanned<Readiness>>,
    pub(super) criteria: Vec<CriterionFile>,
}

pub(super) fn one() -> Spanned<f64> {
    Spanned::new(
        1.0,
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CriterionFile {
    pub(super) id: Spanned<String>,
    pub(super) question: String,
    pub(super) field: Spanned<String>,
    #[serde(default = "one")]
    pub(super) weight: Spanned<f64>,
    #[serde(default)]
    pub(super) blocker: bool,
    pub(super) blocker_when: Option<Spanned<CondMap>>,
    #[serde(default)]
    pub(super) mandatory: bool,
    pub(super) mandatory_when: Option<Spanned<CondMap>>,
    pub(super) pass: Option<Spanned<u8>>,
    pub(super) applies_when: Option<Spanned<CondMap>>,
    pub(super) source: Option<Spanned<String>>,
    pub(super) unknown: Option<String>,
    pub(super) measure: Option<Spanned<String>>,
    pub(super) compare_with: Option<Spanned<String>>,
    pub(super) answers: Option<Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>>,
    pub(super) bands: Option<Spanned<Vec<Spanned<BandFile>>>>,
    pub(super) cases: Option<Spanned<Vec<Spanned<CaseFile>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseFile {
    pub(super) when: Spanned<CondMap>,
    pub(super) answers: Option<Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>>,
    pub(super) bands: Option<Spanned<Vec<Spanned<BandFile>>>>,
}

/// A condition as written: field → value(s), and `any:` → a list of such mappings.
pub(super) type CondMap = Ordered<Spanned<String>, Spanned<CondVal>>;

pub(super) enum CondVal {
    Scalars(Vec<String>),
    Branches(Vec<CondMap>),
}

impl<'de> Deserialize<'de> for CondVal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct CV;
        impl<'de> Visitor<'de> for CV {
            type Value = CondVal;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value, a list of values, or (under `any`) a list of conditions")
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_owned()]))
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_string()]))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_string()]))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<CondVal, A::Error> {
                let mut scalars = Vec::new();
                let mut maps = Vec::new();
                while let Some(item) = s.next_element::<CondItem>()? {
                    match item {
                        CondItem::Scalar(v) => scalars.push(v),
                        CondItem::Map(m) => maps.push(m),
                    }
                }
                match (scalars.is_empty(), maps.is_empty()) {
                    (_, true) => Ok(CondVal::Scalars(scalars)),
                    (true, false) => Ok(CondVal::Branches(maps)),
                    (false, false) => Err(de::Error::custom(
                        "a condition list holds either values or conditions, not both",
                    )),
                }
            }
        }
        d.deserialize_any(CV)
    }
}

pub(super) enum CondItem {
    Scalar(String),
    Map(CondMap),
}

impl<'de> Deserialize<'de> for CondItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct CI;
        impl<'de> Visitor<'de> for CI {
            type Value = CondItem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value or a condition")
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> std::result::Result<CondItem, A::Error> {
                Err(de::Error::custom(
                    "nested lists are not allowed in a condition",
                ))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<CondItem, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry()? {
                    v.push(e);
                }
                Ok(CondItem::Map(Ordered(v)))
            }
        }
        d.deserialize_any(CI)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AnswerFile {
    pub(super) score: Spanned<u8>,
    pub(super) finding: Option<String>,
    pub(super) advice: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BandFile {
    pub(super) below: Option<f64>,
    pub(super) score: Spanned<u8>,
    pub(super) finding: Option<String>,
    pub(super) advice: Option<String>,
}
