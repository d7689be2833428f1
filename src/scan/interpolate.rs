//! `${…}` placeholders, one module for every dialect the scanner reads.
//!
//! - **Compose** (the compose specification, like POSIX shells): `$V`,
//!   `${V}`, `${V:-d}`, `${V-d}`, `${V:?e}`, `${V?e}`, `${V:+x}`, `${V+x}`,
//!   `$$` for a literal `$`, placeholders nested in defaults.
//! - **Spring** (and the property-placeholder dialects like it): `${name}`
//!   and `${name:default}`, where the default is everything after the first
//!   `:` and names may be dotted properties.
//!
//! Values come from a lookup the caller gives (a project's `.env`, never the
//! scanner's own environment). A variable with no value and no default is
//! *unresolved*: its placeholder stays in the text as written, and its name
//! is reported, so nothing is dropped silently.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Compose,
    Spring,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interpolated {
    pub text: String,
    /// Every variable the text refers to, in order of appearance, once each.
    pub names: Vec<String>,
    /// Variables that had no value and no default (or whose `?` form failed).
    pub unresolved: Vec<String>,
}

impl Interpolated {
    pub fn is_resolved(&self) -> bool {
        self.unresolved.is_empty()
    }
}

/// Placeholders deeper than this are left as written.
const MAX_NESTING: usize = 16;

pub fn interpolate<'v>(text: &str, dialect: Dialect, lookup: &dyn Fn(&str) -> Option<&'v str>) -> Interpolated {
    let mut out = Interpolated::default();
    out.text = expand(text, dialect, lookup, &mut out.names, &mut out.unresolved, 0);
    out
}

/// The names a text refers to, without resolving anything.
pub fn names(text: &str, dialect: Dialect) -> Vec<String> {
    interpolate(text, dialect, &|_| None).names
}

fn note(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

fn expand<'v>(
    text: &str,
    dialect: Dialect,
    lookup: &dyn Fn(&str) -> Option<&'v str>,
    names: &mut Vec<String>,
    unresolved: &mut Vec<String>,
    depth: usize,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if dialect == Dialect::Compose && after.starts_with('$') {
            out.push('$');
            rest = &after[1..];
            continue;
        }
        if let Some(body_start) = after.strip_prefix('{') {
            let Some(len) = closing_brace(body_start) else {
                // An unclosed placeholder is text.
                out.push_str(&rest[at..]);
                return out;
            };
            let body = &body_start[..len];
            rest = &body_start[len + 1..];
            if depth >= MAX_NESTING {
                out.push_str("${");
                out.push_str(body);
                out.push('}');
                continue;
            }
            out.push_str(&placeholder(body, dialect, lookup, names, unresolved, depth));
            continue;
        }
        // `$NAME`, compose only; a `$` before anything else is text.
        let name_len = if dialect == Dialect::Compose { shell_name_len(after) } else { 0 };
        if name_len == 0 {
            out.push('$');
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        note(names, name);
        match lookup(name) {
            Some(value) => out.push_str(value),
            None => {
                note(unresolved, name);
                out.push('$');
                out.push_str(name);
            }
        }
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out
}

/// The text between `${` and its matching `}`, nested braces counted.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn shell_name_len(text: &str) -> usize {
    let mut len = 0;
    for (i, c) in text.char_indices() {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        len = i + c.len_utf8();
    }
    len
}

fn placeholder<'v>(
    body: &str,
    dialect: Dialect,
    lookup: &dyn Fn(&str) -> Option<&'v str>,
    names: &mut Vec<String>,
    unresolved: &mut Vec<String>,
    depth: usize,
) -> String {
    let raw = || format!("${{{body}}}");
    let (name, operator, argument) = match dialect {
        Dialect::Compose => {
            let len = shell_name_len(body);
            let (name, tail) = body.split_at(len);
            let operator = [":-", ":?", ":+", "-", "?", "+"].into_iter().find(|op| tail.starts_with(op));
            match operator {
                Some(op) => (name, Some(op), &tail[op.len()..]),
                None if tail.is_empty() => (name, None, ""),
                // Not a placeholder compose understands: keep it as written.
                None => return raw(),
            }
        }
        Dialect::Spring => match body.split_once(':') {
            Some((name, default)) => (name, Some(":-"), default),
            None => (body, None, ""),
        },
    };
    if name.is_empty() {
        return raw();
    }
    note(names, name);
    let value = lookup(name);
    let set = value.is_some();
    let non_empty = value.is_some_and(|v| !v.is_empty());
    let mut nested = |text: &str| expand(text, dialect, lookup, names, unresolved, depth + 1);
    match operator {
        None => match value {
            Some(value) => value.to_owned(),
            None => {
                note(unresolved, name);
                raw()
            }
        },
        Some(":-") if non_empty => value.unwrap_or_default().to_owned(),
        Some("-") if set => value.unwrap_or_default().to_owned(),
        Some(":-" | "-") => nested(argument),
        Some(":+") => {
            if non_empty {
                nested(argument)
            } else {
                String::new()
            }
        }
        Some("+") => {
            if set {
                nested(argument)
            } else {
                String::new()
            }
        }
        // `:?` and `?`: required; without a value compose stops with an error.
        Some(":?") if non_empty => value.unwrap_or_default().to_owned(),
        Some("?") if set => value.unwrap_or_default().to_owned(),
        Some(_) => {
            note(unresolved, name);
            raw()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    #[test]
    fn compose_operators() {
        let vars = [("SET", "v"), ("EMPTY", "")];
        let lookup = env(&vars);
        let cases = [
            ("${SET}", "v"),
            ("$SET/x", "v/x"),
            ("${SET:-d}", "v"),
            ("${EMPTY:-d}", "d"),
            ("${EMPTY-d}", ""),
            ("${UNSET-d}", "d"),
            ("${UNSET:-d}", "d"),
            ("${SET:+x}", "x"),
            ("${EMPTY:+x}", ""),
            ("${EMPTY+x}", "x"),
            ("${UNSET+x}", ""),
            ("${SET:?need it}", "v"),
            ("$$SET", "$SET"),
            ("a$$b", "a$b"),
            ("${UNSET:-${SET}-x}", "v-x"),
            ("${UNSET:-${ALSO_UNSET:-deep}}", "deep"),
            ("cost: 5$", "cost: 5$"),
        ];
        for (text, expected) in cases {
            let out = interpolate(text, Dialect::Compose, &lookup);
            assert_eq!(out.text, expected, "{text}");
            assert!(out.is_resolved(), "{text}: {:?}", out.unresolved);
        }
    }

    #[test]
    fn unresolved_stays_visible() {
        let lookup = env(&[]);
        for (text, kept, name) in [
            ("${IMAGE}:${TAG}-cart", "${IMAGE}:${TAG}-cart", "IMAGE"),
            ("$REGISTRY/app", "$REGISTRY/app", "REGISTRY"),
            ("${REQUIRED:?set it}", "${REQUIRED:?set it}", "REQUIRED"),
            ("${EMPTY?x}", "${EMPTY?x}", "EMPTY"),
        ] {
            let out = interpolate(text, Dialect::Compose, &lookup);
            assert_eq!(out.text, kept);
            assert_eq!(out.unresolved[0], name);
        }
        let out = interpolate("${A}${B:-b}", Dialect::Compose, &lookup);
        assert_eq!((out.names.len(), out.unresolved.len()), (2, 1));
    }

    #[test]
    fn spring_defaults_after_the_first_colon() {
        let lookup = env(&[("DB_HOST", "db")]);
        let out = interpolate("jdbc:mysql://${DB_HOST:localhost}:${DB_PORT:3306}/x", Dialect::Spring, &lookup);
        assert_eq!(out.text, "jdbc:mysql://db:3306/x");
        let out = interpolate("${CONFIG_URL:http://localhost:8888}", Dialect::Spring, &env(&[]));
        assert_eq!(out.text, "http://localhost:8888");
        assert_eq!(names("${a.b} and $NOT_SPRING", Dialect::Spring), ["a.b"]);
    }

    #[test]
    fn malformed_is_text() {
        let lookup = env(&[]);
        assert_eq!(interpolate("${unclosed", Dialect::Compose, &lookup).text, "${unclosed");
        assert_eq!(interpolate("${A B}", Dialect::Compose, &lookup).text, "${A B}");
        let deep = "${A:-".repeat(40) + &"}".repeat(40);
        assert!(!interpolate(&deep, Dialect::Compose, &lookup).text.is_empty());
    }
}
