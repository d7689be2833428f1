//! JSON writers. All escape like CPython's default `ensure_ascii=True`.

use super::{Number, Value};

/// The canonical form: CPython's `json.dumps(v, sort_keys=True, separators=(",", ":"))`.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_compact(value, true, &mut out);
    out
}

/// Appends the canonical form of `value` to `out` (reusing its allocation).
pub fn canonical_into(value: &Value, out: &mut String) {
    write_compact(value, true, out);
}

/// Compact, keys in document order; what the store keeps.
pub fn compact(value: &Value) -> String {
    let mut out = String::new();
    write_compact(value, false, &mut out);
    out
}

/// Indented by two spaces, keys in document order: `json.dump(v, f, indent=2)`.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_pretty(value, 0, &mut out);
    out.push('\n');
    out
}

fn write_compact(value: &Value, sort_keys: bool, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, sort_keys, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut entries: Vec<_> = map.iter().collect();
            if sort_keys {
                // Byte order of UTF-8 is code point order, which is how Python sorts `str`.
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            }
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_compact(item, sort_keys, out);
            }
            out.push('}');
        }
        scalar => write_scalar(scalar, out),
    }
}

fn write_pretty(value: &Value, depth: usize, out: &mut String) {
    let indent = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * 2));
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_pretty(item, depth + 1, out);
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_string(key, out);
                out.push_str(": ");
                write_pretty(item, depth + 1, out);
            }
            indent(out, depth);
            out.push('}');
        }
        other => write_compact(other, false, out),
    }
}

fn write_scalar(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(Number::Int(digits)) => out.push_str(digits),
        Value::Number(number) => out.push_str(&number.render()),
        Value::String(s) => write_string(s, out),
        Value::Array(_) | Value::Object(_) => unreachable!("containers are written by the callers"),
    }
}

/// Writes `s` quoted, escaping as CPython's `ensure_ascii` encoder does.
pub(crate) fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let push_unit = |out: &mut String, unit: u16| {
        out.push_str("\\u");
        for shift in [12, 8, 4, 0] {
            out.push(HEX[usize::from((unit >> shift) & 0xF)] as char);
        }
    };
    out.push('"');
    let mut run_start = 0;
    for (i, c) in s.char_indices() {
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            _ => None,
        };
        if short.is_none() && (' '..='~').contains(&c) {
            continue;
        }
        out.push_str(&s[run_start..i]);
        run_start = i + c.len_utf8();
        match short {
            Some(escape) => out.push_str(escape),
            None => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_unit(out, *unit);
                }
            }
        }
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::parse;

    #[test]
    fn spec_example_is_canonicalised_exactly() {
        let value = parse(r#"{"b":1,"a":[1.0,2.5,null,true],"é":"ü😀","n":1e16,"m":1e-5,"z":0.1}"#).unwrap();
        assert_eq!(
            canonical(&value),
            r#"{"a":[1.0,2.5,null,true],"b":1,"m":1e-05,"n":1e+16,"z":0.1,"\u00e9":"\u00fc\ud83d\ude00"}"#
        );
    }

    #[test]
    fn escapes_every_class_of_code_point() {
        let value =
            Value::from("\"\\/\n\r\t\u{8}\u{c}\u{0}\u{1f} ~\u{7f}\u{80}\u{ff}\u{2028}\u{fffd}\u{10000}\u{10ffff}");
        assert_eq!(
            canonical(&value),
            r#""\"\\/\n\r\t\b\f\u0000\u001f ~\u007f\u0080\u00ff\u2028\ufffd\ud800\udc00\udbff\udfff""#
        );
    }

    #[test]
    fn sorts_keys_by_code_point() {
        let value = parse(r#"{"b":0,"a":0,"B":0,"é":0,"😀":0,"\uffff":0,"aa":0,"":0}"#).unwrap();
        assert_eq!(canonical(&value), r#"{"":0,"B":0,"a":0,"aa":0,"b":0,"\u00e9":0,"\uffff":0,"\ud83d\ude00":0}"#);
    }

    #[test]
    fn pretty_matches_python_indent_two() {
        let value = parse(r#"{"a":[],"b":{},"c":[1,{"d":null}]}"#).unwrap();
        assert_eq!(
            pretty(&value),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": null\n    }\n  ]\n}\n"
        );
    }
}
