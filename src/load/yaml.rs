//! One YAML (or JSON, which is YAML) document into a spanned [`Node`] tree, through the event
//! builder.

use super::events;
use super::node::{Limits, Node, ParseError};
use crate::diagnostic::FileId;

/// Parses one document into a spanned tree.
pub fn parse_yaml(file: FileId, text: &str, limits: Limits) -> Result<Node, ParseError> {
    events::parse(file, text, limits).map_err(events::Failure::into_error)
}

/// [`parse_yaml`], handing each item of the root mapping's `key` list to `sink` as it
/// completes (see `events::parse_streaming`); that list is empty in the tree. On an error,
/// what the sink received does not count.
pub fn parse_yaml_streaming(
    file: FileId,
    text: &str,
    limits: Limits,
    key: &str,
    sink: events::Sink<'_>,
) -> Result<Node, ParseError> {
    events::parse_streaming(file, text, limits, key, sink).map_err(events::Failure::into_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::Value;

    #[test]
    fn keeps_locations_of_keys_and_values() {
        let n = parse_yaml(0, "a: 1\nb:\n  c: [x, \"y\"]\n", Limits::default()).unwrap();
        let b = n.get("b").unwrap();
        let c = b.get("c").unwrap();
        let Value::Seq(items) = &c.value else {
            panic!("not a seq")
        };
        assert_eq!((items[1].loc.line, items[1].loc.col), (3, 10));
        assert_eq!(items[1].as_str(), Some("y"));
        let (k, _) = &n.as_map().unwrap()[1];
        assert_eq!((k.loc.line, k.loc.col), (2, 1));
    }

    #[test]
    fn unquoted_colon_value_is_a_parse_error() {
        let e = parse_yaml(
            0,
            "x:\n  classification: OFFICIAL: Sensitive\n",
            Limits::default(),
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
    }

    /// What the event builder does not read is refused at its place, not read some other way.
    #[test]
    fn refuses_what_no_inventory_needs_at_its_place() {
        for (text, line, col, what) in [
            ("a: 1\nb: !include x\n", 2, 13, "the tag `!include`"),
            ("b: !!binary QQ==\n", 1, 13, "the tag `!!binary`"),
            ("a: 1\n? [x, y]\n: z\n", 2, 3, "cannot be a key"),
            ("a:\n  <<: [[{x: 1}]]\n", 2, 8, "merge key"),
        ] {
            let e = parse_yaml(0, text, Limits::default()).unwrap_err();
            assert_eq!((e.line, e.col), (line, col), "{text:?}: {e}");
            assert!(e.message.contains(what), "{text:?}: {e}");
        }
    }

    #[test]
    fn json_reads_as_yaml() {
        let n = parse_yaml(0, "{\"a\": {\"b\": true}}", Limits::default()).unwrap();
        assert_eq!(
            n.get("a").unwrap().get("b").unwrap().value,
            Value::Bool(true)
        );
    }

    /// The streamed items are the tree's items, in order, and the tree keeps an empty list;
    /// lists that come through an anchor, alias or merge, or sit deeper, are not streamed.
    #[test]
    fn streams_exactly_the_root_lists_items() {
        let stream = |text: &str| {
            let mut got = Vec::new();
            let r = parse_yaml_streaming(0, text, Limits::default(), "w", &mut |n, _| got.push(n));
            (r, got)
        };
        let text = "a: 1\nw:\n  - {id: x}\n  - [1, 2]\n  - 3\nb: {w: [4]}\n";
        let (r, got) = stream(text);
        let Ok(root) = r else { panic!("not streamed") };
        let tree = parse_yaml(0, text, Limits::default()).unwrap();
        let Some(Value::Seq(items)) = tree.get("w").map(|n| &n.value) else {
            panic!("no list")
        };
        assert_eq!(&got, items);
        assert_eq!(root.get("w").map(|n| &n.value), Some(&Value::Seq(vec![])));
        assert_eq!(root.get("b"), tree.get("b"));
        for kept in [
            "w: &l [1, 2]\n",
            "l: &l [1, 2]\nw: *l\n",
            "<<: {w: [1]}\n",
            "x:\n  w: [1]\n",
            "- w: [1]\n",
        ] {
            let (r, got) = stream(kept);
            assert!(got.is_empty(), "{kept:?} streamed");
            let Ok(root) = r else {
                panic!("{kept:?} not read")
            };
            assert_eq!(
                root,
                parse_yaml(0, kept, Limits::default()).unwrap(),
                "{kept:?}"
            );
        }
    }
}
