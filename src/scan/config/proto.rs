//! Protocol Buffers definitions: the services a `.proto` file declares.
//! Only `service` statements matter to the scan (generated stubs are named
//! after them), so a small tokenizer that skips
//! comments and string literals does; a full protobuf parser crate would
//! build descriptors for messages the scan never looks at.

use serde::{Deserialize, Serialize};

/// What one `.proto` file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtoFile {
    /// Each `service CartService { … }` with its line.
    pub services: Vec<(String, u32)>,
}

pub fn parse(text: &str) -> ProtoFile {
    let tokens = tokens(text);
    let mut file = ProtoFile::default();
    let mut depth = 0usize;
    for (i, (token, _)) in tokens.iter().enumerate() {
        match *token {
            "{" => depth += 1,
            "}" => depth = depth.saturating_sub(1),
            "service" if depth == 0 => {
                let declared = tokens.get(i + 1).zip(tokens.get(i + 2));
                if let Some(((name, line), ("{", _))) = declared
                    && is_name(name)
                {
                    file.services.push(((*name).to_owned(), *line));
                }
            }
            _ => {}
        }
    }
    file
}

fn is_name(token: &str) -> bool {
    token.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Words (identifiers, dotted names, numbers) and single punctuation
/// characters, each with its line; comments and string literals dropped.
fn tokens(text: &str) -> Vec<(&str, u32)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let (mut i, mut line) = (0usize, 1u32);
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    line += u32::from(bytes[i] == b'\n');
                    i += 1;
                }
                i += 2;
            }
            b'"' | b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.') {
                    i += 1;
                }
                found.push((&text[start..i], line));
            }
            _ if c.is_ascii_whitespace() => i += 1,
            _ => {
                // Multi-byte characters only occur in comments and strings, which are skipped above;
                // step over any other byte sequence whole.
                let width = text[i..].chars().next().map_or(1, char::len_utf8);
                found.push((&text[i..i + width], line));
                i += width;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_with_lines() {
        let text = "syntax = \"proto3\";\n// service Commented {\npackage oteldemo.v1;\n/* service Block {\n} */\nservice CartService {\n  rpc AddItem(AddItemRequest) returns (Empty) {}\n}\nmessage Empty { string service = 1; }\nservice Ads{ rpc Get(A) returns (B); }\n";
        let file = parse(text);
        assert_eq!(file.services, [("CartService".to_owned(), 6), ("Ads".to_owned(), 10)]);
    }

    #[test]
    fn unterminated_comment_or_string_ends_the_file() {
        assert_eq!(parse("service A {} /* open").services.len(), 1);
        assert_eq!(parse("option x = \"open\nservice B {}").services.len(), 1);
        assert!(parse("service {").services.is_empty());
    }
}
