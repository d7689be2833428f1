//! proptest strategies for JSON values, covering every class of code point
//! and both kinds of number.

use proptest::prelude::*;
use pruv::core::json::{Map, Number, Value};

/// Characters from each class the canonical writer treats differently.
pub fn any_char_by_class() -> impl Strategy<Value = char> {
    prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        prop::sample::select(vec!['"', '\\', '/', '\u{7f}']),
        (0x20u32..0x7f).prop_map(|c| char::from_u32(c).unwrap()),
        (0x80u32..0x100).prop_map(|c| char::from_u32(c).unwrap()),
        (0x100u32..0xd800).prop_map(|c| char::from_u32(c).unwrap()),
        (0xe000u32..0x10000).prop_map(|c| char::from_u32(c).unwrap()),
        (0x10000u32..0x110000).prop_map(|c| char::from_u32(c).unwrap()),
    ]
}

pub fn any_json_string() -> impl Strategy<Value = String> {
    prop_oneof![prop::collection::vec(any_char_by_class(), 0..12).prop_map(String::from_iter), any::<String>(),]
}

pub fn any_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        "-?[1-9][0-9]{19,80}".prop_map(|s| Number::int_from_decimal(&s).unwrap()),
        // Every bit pattern: subnormals, huge, tiny; NaN normalised to the one NaN JSON can spell.
        any::<u64>().prop_map(|bits| {
            let f = f64::from_bits(bits);
            Number::Float(if f.is_nan() { f64::NAN } else { f })
        }),
        (-1e6f64..1e6).prop_map(Number::Float),
        prop::sample::select(vec![0.0, -0.0, 0.1, 1e16, 1e-5, 1e15, 9999999999999998.0, 5e-324, f64::INFINITY])
            .prop_map(Number::Float),
    ]
}

pub fn any_json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any_number().prop_map(Value::Number),
        any_json_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any_json_string(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map>())),
        ]
    })
}
