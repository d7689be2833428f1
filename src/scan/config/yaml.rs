//! YAML read into a small tree that keeps line numbers, so evidence can
//! point at the line that defines a port or a variable. Isolates the YAML
//! crate from the rest of the scanner.

use saphyr::{LoadableYamlNode as _, MarkedYaml, Scalar, YamlData};

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based line where the node starts.
    pub line: u32,
    pub value: Yaml,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    /// Any scalar, as text (`8080`, `true`, `postgres:15`).
    Scalar(String),
    Seq(Vec<Node>),
    /// Keys as text, in document order.
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn str(&self) -> Option<&str> {
        match &self.value {
            Yaml::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Yaml::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Yaml::Seq(items) => items,
            _ => &[],
        }
    }
}

/// Every document in `text`.
pub fn parse(text: &str) -> Result<Vec<Node>, String> {
    let documents = MarkedYaml::load_from_str(text).map_err(|e| e.to_string())?;
    Ok(documents.iter().map(convert).collect())
}

fn convert(node: &MarkedYaml<'_>) -> Node {
    let line = node.span.start.line() as u32;
    let value = match &node.data {
        YamlData::Value(scalar) => scalar_text(scalar),
        YamlData::Representation(text, _, _) => Yaml::Scalar(text.to_string()),
        YamlData::Sequence(items) => Yaml::Seq(items.iter().map(convert).collect()),
        YamlData::Mapping(map) => Yaml::Map(
            map.iter()
                .filter_map(|(k, v)| {
                    let key = match scalar_of(k)? {
                        Yaml::Scalar(s) => s,
                        _ => return None,
                    };
                    Some((key, convert(v)))
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return convert(inner),
        YamlData::Alias(_) | YamlData::BadValue => Yaml::Null,
    };
    Node { line, value }
}

fn scalar_of(node: &MarkedYaml<'_>) -> Option<Yaml> {
    match &node.data {
        YamlData::Value(scalar) => Some(scalar_text(scalar)),
        YamlData::Representation(text, _, _) => Some(Yaml::Scalar(text.to_string())),
        _ => None,
    }
}

fn scalar_text(scalar: &Scalar<'_>) -> Yaml {
    match scalar {
        Scalar::Null => Yaml::Null,
        Scalar::Boolean(b) => Yaml::Scalar(b.to_string()),
        Scalar::Integer(i) => Yaml::Scalar(i.to_string()),
        Scalar::FloatingPoint(f) => Yaml::Scalar(f.to_string()),
        Scalar::String(s) => Yaml::Scalar(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_and_documents() {
        let docs = parse("a: 1\nb:\n  - x\n  - y: z\n---\nc: null\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].get("a").unwrap().str(), Some("1"));
        assert_eq!(docs[0].get("a").unwrap().line, 1);
        let b = docs[0].get("b").unwrap();
        assert_eq!(b.items()[1].get("y").unwrap().line, 4);
        assert_eq!(docs[1].get("c").unwrap().value, Yaml::Null);
        assert!(parse("a: [unclosed").is_err());
    }
}
