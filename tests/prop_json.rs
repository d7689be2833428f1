//! Properties of the JSON model and its canonical form.

use proptest::prelude::*;
use pruv::core::json::{self, Value};

mod common;
use common::strategies::{any_char_by_class, any_json_value};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn canonical_output_parses_back_to_the_same_value(value in any_json_value()) {
        let text = json::canonical(&value);
        prop_assert_eq!(&json::parse(&text).unwrap(), &value);
        prop_assert_eq!(json::canonical(&json::parse(&text).unwrap()), text);
    }

    #[test]
    fn every_writer_round_trips(value in any_json_value()) {
        prop_assert_eq!(&json::parse(&json::pretty(&value)).unwrap(), &value);
        prop_assert_eq!(&json::parse(&json::compact(&value)).unwrap(), &value);
    }

    #[test]
    fn canonical_output_is_ascii_without_layout_whitespace(value in any_json_value()) {
        let text = json::canonical(&value);
        prop_assert!(text.bytes().all(|b| (0x20..0x7f).contains(&b)), "{}", text);
        // Outside strings there is no whitespace at all.
        let mut in_string = false;
        let mut escaped = false;
        for c in text.chars() {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (_, false, '"') => in_string = !in_string,
                (false, _, ' ') => prop_assert!(false, "space outside a string in {}", text),
                _ => {}
            }
        }
    }

    #[test]
    fn key_order_does_not_change_the_canonical_form(pairs in prop::collection::vec((".{0,6}", any::<i32>()), 0..10)) {
        let forward: json::Map = pairs.iter().map(|(k, v)| (k.clone(), Value::Number(i64::from(*v).into()))).collect();
        let mut backward = forward.clone();
        backward.reverse();
        prop_assert_eq!(json::canonical(&Value::Object(forward)), json::canonical(&Value::Object(backward)));
    }

    #[test]
    fn each_code_point_escapes_to_a_form_that_reads_back(c in any_char_by_class()) {
        let text = json::canonical(&Value::String(c.to_string()));
        let expected_len = match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 4,
            ' '..='~' => 3,
            c if (c as u32) < 0x10000 => 8,
            _ => 14,
        };
        prop_assert_eq!(text.len(), expected_len, "{:?} -> {}", c, text);
        prop_assert_eq!(json::parse(&text).unwrap(), Value::String(c.to_string()));
    }
}
