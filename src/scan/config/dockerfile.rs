//! Dockerfiles: EXPOSE, ENV and FROM instructions (with line continuations).

use super::{Dockerfile, EnvEntry};

pub fn parse(text: &str) -> Dockerfile {
    let mut file = Dockerfile::default();
    for (line, instruction) in logical_lines(text) {
        let mut words = instruction.splitn(2, char::is_whitespace);
        let keyword = words.next().unwrap_or("").to_ascii_uppercase();
        let rest = words.next().unwrap_or("").trim();
        match keyword.as_str() {
            "EXPOSE" => {
                for spec in rest.split_whitespace() {
                    if let Ok(port) = spec.split('/').next().unwrap_or(spec).parse() {
                        file.expose.push((port, line));
                    }
                }
            }
            "ENV" => file.env.extend(env_pairs(rest).into_iter().map(|(name, value)| EnvEntry { name, line, value })),
            "FROM" => {
                if let Some(image) = rest.split_whitespace().find(|w| !w.starts_with("--")) {
                    file.from.push(image.to_owned());
                }
            }
            _ => {}
        }
    }
    file
}

/// Instructions joined across `\` continuations, with their first line.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if current.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let (continues, body) = match trimmed.strip_suffix('\\') {
            Some(body) => (true, body),
            None => (false, trimmed),
        };
        let entry = current.get_or_insert_with(|| (i as u32 + 1, String::new()));
        if !body.starts_with('#') {
            entry.1.push_str(body);
            entry.1.push(' ');
        }
        if !continues {
            out.push(current.take().expect("set above"));
        }
    }
    out.extend(current);
    out
}

/// `ENV A=1 B="x y"` or the legacy `ENV A value with spaces`.
fn env_pairs(rest: &str) -> Vec<(String, Option<String>)> {
    if !rest.split_whitespace().next().unwrap_or("").contains('=') {
        let mut parts = rest.splitn(2, char::is_whitespace);
        let name = parts.next().unwrap_or("").to_owned();
        let value = parts.next().map(|v| v.trim().to_owned());
        return vec![(name, value)];
    }
    let mut pairs = Vec::new();
    let mut chars = rest.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        let mut value = String::new();
        let quote = chars.peek().copied().filter(|c| *c == '"' || *c == '\'');
        if let Some(q) = quote {
            chars.next();
            value.extend(chars.by_ref().take_while(|c| *c != q));
        } else {
            value.extend(chars.by_ref().take_while(|c| !c.is_whitespace()));
        }
        if !name.is_empty() {
            pairs.push((name.trim().to_owned(), Some(value)));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_instructions() {
        let file = super::parse(
            "FROM --platform=linux/amd64 python:3.12 AS base\n# EXPOSE 1\nENV PORT=8000 \\\n    NAME=\"a b\"\nENV LEGACY some value\nEXPOSE 8000 9000/udp\n",
        );
        assert_eq!(file.from, ["python:3.12"]);
        assert_eq!(file.expose, [(8000, 6), (9000, 6)]);
        let env: Vec<_> = file.env.iter().map(|e| (e.name.as_str(), e.line, e.value.as_deref())).collect();
        assert_eq!(env, [("PORT", 3, Some("8000")), ("NAME", 3, Some("a b")), ("LEGACY", 5, Some("some value"))]);
    }
}
