//! A JSON reader with Python's `json.loads` semantics.
//!
//! Accepts what CPython accepts (including `NaN`, `Infinity` and
//! `-Infinity`), rejects raw control characters in strings as its strict
//! mode does, and keeps numbers as written: integers exactly, floats as
//! the nearest double. Nesting is bounded so hostile input gets an error,
//! not a stack overflow.

use super::{Map, Number, Value};

/// Deepest nesting accepted; CPython's default recursion limit is about the same.
pub const MAX_DEPTH: usize = 512;

/// CPython refuses to convert integers longer than this (`sys.int_info.default_max_str_digits`).
const MAX_INT_DIGITS: usize = 4300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses one JSON document; a UTF-8 byte-order mark is skipped.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser { text, bytes: text.as_bytes(), pos: 0 };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos != parser.bytes.len() {
        return Err(parser.error("unexpected data after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> ParseError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> ParseError {
        let before = &self.text[..floor_char_boundary(self.text, pos)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ParseError { line, column, message: message.into() }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat_literal(&mut self, literal: &str) -> bool {
        if self.bytes[self.pos..].starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        match self.peek() {
            None => Err(self.error("expected a value, found the end of the input")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for (literal, value) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("NaN", Value::Number(Number::Float(f64::NAN))),
                    ("Infinity", Value::Number(Number::Float(f64::INFINITY))),
                ] {
                    if self.eat_literal(literal) {
                        return Ok(value);
                    }
                }
                Err(self.error("expected a value"))
            }
        }
    }

    fn enter(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH { Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels"))) } else { Ok(()) }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.enter(depth)?;
        self.pos += 1; // '{'
        let mut map = Map::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after an object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            map.insert(key, value);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.error("expected ',' or '}' in an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.enter(depth)?;
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']' in an array")),
            }
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            if self.eat_literal("Infinity") {
                return Ok(Value::Number(Number::Float(f64::NEG_INFINITY)));
            }
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.error("expected a digit")),
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') && self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) {
            is_float = true;
            self.pos += 1;
            self.skip_digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            let mark = self.pos;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                is_float = true;
                self.skip_digits();
            } else {
                // Python stops the number before a dangling exponent; the
                // leftover text then fails as trailing data, as it does there.
                self.pos = mark;
            }
        }
        let literal = &self.text[start..self.pos];
        if is_float {
            let f: f64 = literal.parse().map_err(|_| self.error_at(start, "invalid number"))?;
            Ok(Value::Number(Number::Float(f)))
        } else {
            if literal.trim_start_matches('-').len() > MAX_INT_DIGITS {
                return Err(self.error_at(start, format!("integer longer than {MAX_INT_DIGITS} digits")));
            }
            Ok(Value::Number(Number::int_from_decimal(literal).ok_or_else(|| self.error_at(start, "invalid integer"))?))
        }
    }

    fn skip_digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1; // '"'
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go.
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                None => return Err(self.error_at(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in a string (escape it)")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let Some(code) = self.peek() else {
            return Err(self.error("unterminated escape"));
        };
        self.pos += 1;
        let c = match code {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err(self.error_at(self.pos - 2, "invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let start = self.pos - 2;
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !(self.eat_literal("\\u")) {
                    return Err(self.error_at(start, LONE_SURROGATE));
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_at(start, LONE_SURROGATE));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error_at(start, LONE_SURROGATE)),
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.error_at(start, "invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.text.get(self.pos..self.pos + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(digits) = digits else {
            return Err(self.error("expected four hex digits after \\u"));
        };
        self.pos += 4;
        Ok(u32::from_str_radix(digits, 16).expect("checked hex digits"))
    }
}

const LONE_SURROGATE: &str = "unpaired UTF-16 surrogate in a \\u escape (not representable as UTF-8)";

fn floor_char_boundary(text: &str, mut pos: usize) -> usize {
    pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Value {
        Value::Number(Number::int_from_decimal(s).unwrap())
    }

    #[test]
    fn keeps_integers_and_floats_apart() {
        assert_eq!(parse("1").unwrap(), int("1"));
        assert_eq!(parse("1.0").unwrap(), Value::Number(Number::Float(1.0)));
        assert_eq!(parse("1e2").unwrap(), Value::Number(Number::Float(100.0)));
        assert_eq!(parse("-0").unwrap(), int("0"));
        let big = "123456789012345678901234567890";
        assert_eq!(parse(big).unwrap(), int(big));
    }

    #[test]
    fn accepts_python_extensions() {
        assert!(matches!(parse("NaN").unwrap(), Value::Number(Number::Float(f)) if f.is_nan()));
        assert_eq!(parse("-Infinity").unwrap(), Value::Number(Number::Float(f64::NEG_INFINITY)));
        assert_eq!(parse("1e400").unwrap(), Value::Number(Number::Float(f64::INFINITY)));
    }

    #[test]
    fn last_duplicate_key_wins_in_first_position() {
        let Value::Object(map) = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap() else { panic!() };
        let keys: Vec<_> = map.keys().cloned().collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(map["a"], int("3"));
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        assert_eq!(parse(r#""a\/b\n\u00e9\ud83d\ude00""#).unwrap(), Value::from("a/b\né😀"));
    }

    #[test]
    fn rejects_bad_input_with_a_position() {
        for (text, line, column) in [
            ("{\n  \"a\": tru\n}", 2, 8),
            ("[1,]", 1, 4),
            ("01", 1, 2),
            ("\"\u{1}\"", 1, 2),
            (r#""\ud800""#, 1, 2),
            ("{\"a\" 1}", 1, 6),
            ("", 1, 1),
            ("1.", 1, 2),
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text:?}: {err}");
        }
    }

    #[test]
    fn bounds_nesting_depth() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nesting"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn refuses_integers_python_refuses() {
        assert!(parse(&"9".repeat(4301)).is_err());
        assert!(parse(&"9".repeat(4300)).is_ok());
    }
}
