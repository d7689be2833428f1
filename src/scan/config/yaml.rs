//! YAML read into a small tree that keeps line numbers, so evidence can
//! point at the line that defines a port or a variable. Isolates the YAML
//! crate from the rest of the scanner.
//!
//! The parser is a port of libyaml, the parser behind PyYAML and close to
//! what docker compose and kubectl accept: it takes the lenient layouts real
//! files use (a flow sequence whose closing `]` sits at its key's
//! indentation) that stricter parsers reject. The tree is built here from
//! its events, because that is where aliases and merge keys are resolved
//! once for every reader, with a budget, so an alias bomb is refused rather
//! than expanded.

use std::collections::HashMap;

use libyaml_safer::{EventData, Parser, ScalarStyle};
use serde::{Deserialize, Serialize};

/// At most this many nodes are copied through aliases in one file.
/// Real files stay far below; "billion laughs" goes far above.
pub const ALIAS_BUDGET: usize = 100_000;

/// Deeper nesting than this is refused instead of recursed into.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// 1-based line where the node starts.
    pub line: u32,
    pub value: Yaml,
    /// An explicit local tag (`!reset`, `!override`), when the node has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Yaml {
    Null,
    /// Any scalar, as text (`8080`, `true`, `postgres:15`).
    Scalar(String),
    Seq(Vec<Node>),
    /// Keys as text, in document order; merge keys (`<<`) already applied.
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn new(line: u32, value: Yaml) -> Node {
        Node { line, value, tag: None }
    }

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

    pub fn is_null(&self) -> bool {
        self.value == Yaml::Null
    }

    /// How many nodes this tree holds.
    pub fn size(&self) -> usize {
        1 + match &self.value {
            Yaml::Seq(items) => items.iter().map(Node::size).sum(),
            Yaml::Map(entries) => entries.iter().map(|(_, v)| 1 + v.size()).sum(),
            _ => 0,
        }
    }
}

/// Every document in `text`.
pub fn parse(text: &str) -> Result<Vec<Node>, String> {
    // The parser panics on some inputs that end inside a block scalar with
    // no final line break; a line break changes nothing else in YAML.
    let owned;
    let text = if text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        &owned
    };
    // Whatever else it trips over is this file's error, never the scan's end.
    match quietly(|| read_documents(text)) {
        Some(result) => result,
        None => Err("the YAML parser failed on this file".to_owned()),
    }
}

/// Runs `f`, turning a panic into `None` without printing it.
fn quietly<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    use std::cell::Cell;
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = std::panic::catch_unwind(f);
    QUIET.with(|quiet| quiet.set(false));
    result.ok()
}

fn read_documents(text: &str) -> Result<Vec<Node>, String> {
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut reader = Reader { parser, anchors: HashMap::new(), budget: ALIAS_BUDGET };
    let mut documents = Vec::new();
    loop {
        let (data, _) = reader.next()?;
        match data {
            EventData::StreamStart { .. } | EventData::DocumentEnd { .. } => {}
            EventData::DocumentStart { .. } => {
                // Anchors are local to their document.
                reader.anchors.clear();
                let (first, line) = reader.next()?;
                documents.push(reader.node(first, line, 0)?);
            }
            EventData::StreamEnd => return Ok(documents),
            other => return Err(format!("unexpected YAML event {other:?}")),
        }
    }
}

struct Reader<'r, 'b> {
    parser: Parser<&'b mut &'r [u8]>,
    anchors: HashMap<String, Node>,
    budget: usize,
}

impl Reader<'_, '_> {
    fn next(&mut self) -> Result<(EventData, u32), String> {
        let event = self.parser.parse().map_err(|e| e.to_string())?;
        Ok((event.data, event.start_mark.line as u32 + 1))
    }

    /// The node that starts with `event`.
    fn node(&mut self, event: EventData, line: u32, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err(format!("line {line}: nesting deeper than {MAX_DEPTH} levels"));
        }
        let (node, anchor) = match event {
            EventData::Scalar { anchor, tag, value, style, .. } => {
                let plain = style == ScalarStyle::Plain;
                let null = plain && tag.is_none() && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL");
                let value = if null { Yaml::Null } else { Yaml::Scalar(value) };
                (Node { line, value, tag: local_tag(tag) }, anchor)
            }
            EventData::SequenceStart { anchor, tag, .. } => {
                let mut items = Vec::new();
                loop {
                    match self.next()? {
                        (EventData::SequenceEnd, _) => break,
                        (event, at) => items.push(self.node(event, at, depth + 1)?),
                    }
                }
                (Node { line, value: Yaml::Seq(items), tag: local_tag(tag) }, anchor)
            }
            EventData::MappingStart { anchor, tag, .. } => {
                let mut entries: Vec<(String, Node)> = Vec::new();
                let mut merged: Vec<Node> = Vec::new();
                loop {
                    let (key_event, key_line) = match self.next()? {
                        (EventData::MappingEnd, _) => break,
                        other => other,
                    };
                    let merge_key = matches!(&key_event, EventData::Scalar { value, style: ScalarStyle::Plain, .. } if value == "<<");
                    let key = self.node(key_event, key_line, depth + 1)?;
                    let (value_event, value_line) = self.next()?;
                    let value = self.node(value_event, value_line, depth + 1)?;
                    if merge_key {
                        merged.push(value);
                        continue;
                    }
                    // Complex keys name nothing a reader of configuration looks up.
                    let Some(key) = key.str().map(str::to_owned).or_else(|| key.is_null().then(String::new)) else {
                        continue;
                    };
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        // A repeated key: the last one wins, as in PyYAML.
                        Some((_, known)) => *known = value,
                        None => entries.push((key, value)),
                    }
                }
                apply_merges(&mut entries, merged);
                (Node { line, value: Yaml::Map(entries), tag: local_tag(tag) }, anchor)
            }
            EventData::Alias { anchor } => {
                let Some(target) = self.anchors.get(&anchor) else {
                    return Err(format!("line {line}: alias *{anchor} names no anchor before it"));
                };
                let size = target.size();
                if size > self.budget {
                    return Err(format!(
                        "line {line}: aliases expand to more than {ALIAS_BUDGET} nodes (an alias bomb?); not expanded"
                    ));
                }
                self.budget -= size;
                let mut copy = target.clone();
                copy.line = line;
                return Ok(copy);
            }
            other => return Err(format!("line {line}: unexpected YAML event {other:?}")),
        };
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// `<<: *base` and `<<: [*a, *b]`: keys of the merged maps that the map
/// does not set itself, the earlier merged map winning (YAML 1.1 merge keys,
/// as PyYAML and docker compose apply them).
fn apply_merges(entries: &mut Vec<(String, Node)>, merged: Vec<Node>) {
    for source in merged {
        let maps = match source.value {
            Yaml::Map(map) => vec![map],
            Yaml::Seq(items) => items
                .into_iter()
                .filter_map(|item| match item.value {
                    Yaml::Map(map) => Some(map),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for map in maps {
            for (key, value) in map {
                if !entries.iter().any(|(k, _)| *k == key) {
                    entries.push((key, value));
                }
            }
        }
    }
}

/// `!reset` and other local tags; the standard `tag:yaml.org,2002:` ones say nothing more than the text.
fn local_tag(tag: Option<String>) -> Option<String> {
    tag.filter(|t| t.starts_with('!') && !t.starts_with("!!"))
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

    #[test]
    fn accepts_a_flow_sequence_closed_at_its_keys_indentation() {
        // docker compose and PyYAML accept this layout; strict parsers do not.
        let text = "services:\n  web:\n    ports: [\n      \"80:80\",\n      \"443:443\"\n    ]\n    image: nginx\n";
        let docs = parse(text).unwrap();
        let web = docs[0].get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("ports").unwrap().items().len(), 2);
        assert_eq!(web.get("image").unwrap().str(), Some("nginx"));
    }

    #[test]
    fn resolves_aliases_and_merge_keys() {
        let text = "x-env: &env\n  A: 1\n  B: 2\nsvc:\n  environment:\n    <<: *env\n    B: 3\n  copy: *env\n";
        let docs = parse(text).unwrap();
        let svc = docs[0].get("svc").unwrap();
        let env = svc.get("environment").unwrap();
        let keys: Vec<&str> = env.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["B", "A"]);
        assert_eq!(env.get("B").unwrap().str(), Some("3"), "an explicit key beats a merged one");
        assert_eq!(svc.get("copy").unwrap().get("A").unwrap().str(), Some("1"));
    }

    #[test]
    fn merges_a_list_of_maps_earlier_first() {
        let text = "a: &a {k: 1, only_a: x}\nb: &b {k: 2, only_b: y}\nc:\n  <<: [*a, *b]\n";
        let c = parse(text).unwrap()[0].get("c").unwrap().clone();
        assert_eq!(c.get("k").unwrap().str(), Some("1"));
        assert!(c.get("only_a").is_some() && c.get("only_b").is_some());
    }

    #[test]
    fn refuses_an_alias_bomb() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut previous = 'a';
        for name in 'b'..='j' {
            text.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
            previous = name;
        }
        let error = parse(&text).unwrap_err();
        assert!(error.contains("alias bomb"), "{error}");
    }

    #[test]
    fn a_block_scalar_at_the_end_without_a_line_break() {
        // This input made the parser panic; it is an ordinary file.
        let docs = parse("data:\n  config: |\n    exporters: [x] # end").unwrap();
        assert_eq!(docs[0].get("data").unwrap().get("config").unwrap().str(), Some("exporters: [x] # end\n"));
    }

    #[test]
    fn every_truncation_of_a_real_file_is_an_answer_not_a_panic() {
        let text = "x-env: &env\n  A: \"1\"\nservices:\n  web:\n    image: nginx\n    command: >\n      serve\n      --port 80\n    environment:\n      <<: *env\n    ports: [\n      \"80:80\"\n    ]\n    healthcheck:\n      test: |\n        curl -f http://localhost\n  'db': {image: \"postgres:16\", labels: [a, b]}\n";
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                let _ = parse(&text[..end]);
            }
        }
    }

    #[test]
    fn refuses_runaway_nesting() {
        let text = "[".repeat(10_000);
        assert!(parse(&text).is_err());
    }

    #[test]
    fn quoted_null_is_text_and_tags_are_kept() {
        let docs = parse("a: \"null\"\nb: ~\nc: !reset []\n").unwrap();
        assert_eq!(docs[0].get("a").unwrap().str(), Some("null"));
        assert!(docs[0].get("b").unwrap().is_null());
        assert_eq!(docs[0].get("c").unwrap().tag.as_deref(), Some("!reset"));
    }
}
