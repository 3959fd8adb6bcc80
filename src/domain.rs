//! The closed vocabularies of the domain: PSPF classifications, kinds of hosting, the 7 Rs and
//! effort sizes. Each is an enum whose text is the inventory's own spelling; the field table
//! takes its allowed values from [`Classification::NAMES`] and the like, so the enum and the
//! validator cannot disagree on a value or its order.

/// Declares a fieldless enum with its text: `ALL`, `NAMES` (same order), `as_str`, `index`,
/// `from_index`, `Display`, `FromStr` and serialization as the text.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in the order the inventory format lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The values' texts, indexed like [`Self::ALL`].
            pub const NAMES: &'static [&'static str] = &[$($text,)+];

            pub const fn as_str(self) -> &'static str {
                Self::NAMES[self as usize]
            }
            /// The position in [`Self::ALL`] (and in the field table's values).
            pub const fn index(self) -> usize {
                self as usize
            }
            pub fn from_index(i: usize) -> Option<$name> {
                Self::ALL.get(i).copied()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, UnknownName> {
                Self::NAMES
                    .iter()
                    .position(|n| *n == s)
                    .map(|i| Self::ALL[i])
                    .ok_or(UnknownName)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

/// A text that names no value of the vocabulary it was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownName;

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a known value")
    }
}

impl std::error::Error for UnknownName {}

text_enum! {
    /// PSPF classifications, least to most sensitive. The order matters: hosting rules compare
    /// them.
    pub enum Classification {
        Unofficial = "UNOFFICIAL",
        Official = "OFFICIAL",
        OfficialSensitive = "OFFICIAL: Sensitive",
        Protected = "PROTECTED",
        Secret = "SECRET",
        TopSecret = "TOP SECRET",
    }
}

text_enum! {
    /// A kind of hosting: where a workload runs (`current.hosting`), the service its assurance
    /// facts describe (`service.kind`), and a provider catalog entry's kind.
    pub enum Hosting {
        OnPremises = "on-premises",
        GovernmentDataCentre = "government-data-centre",
        Colocation = "colocation",
        PrivateCloud = "private-cloud",
        CommunityCloud = "community-cloud",
        PublicCloud = "public-cloud",
        Saas = "saas",
    }
}

text_enum! {
    /// The 7 Rs of migration.
    pub enum Strategy {
        Rehost = "rehost",
        Replatform = "replatform",
        Refactor = "refactor",
        Repurchase = "repurchase",
        Retire = "retire",
        Retain = "retain",
        Relocate = "relocate",
    }
}

impl Strategy {
    /// Whether the workload moves at all, and so gets a wave.
    pub fn moves(self) -> bool {
        !matches!(self, Strategy::Retire | Strategy::Retain)
    }
}

text_enum! {
    /// A t-shirt size of migration effort, smallest first.
    pub enum Effort {
        S = "S",
        M = "M",
        L = "L",
        Xl = "XL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_order() {
        for (i, c) in Classification::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(c.as_str().parse::<Classification>(), Ok(*c));
            assert_eq!(Classification::from_index(i), Some(*c));
        }
        assert_eq!(
            Classification::OfficialSensitive.to_string(),
            "OFFICIAL: Sensitive"
        );
        assert!(Classification::Protected < Classification::Secret);
        assert_eq!("XL".parse::<Effort>(), Ok(Effort::Xl));
        assert_eq!("rehost ".parse::<Strategy>(), Err(UnknownName));
        assert_eq!(Hosting::from_index(Hosting::ALL.len()), None);
        assert_eq!(
            serde_json::to_string(&[Strategy::Retire, Strategy::Relocate]).unwrap(),
            r#"["retire","relocate"]"#
        );
        assert!(!Strategy::Retain.moves() && Strategy::Rehost.moves());
    }
}
