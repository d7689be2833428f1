//! Extraction: tree-sitter queries (`grammars/<language>/*.scm`) run over
//! the files a cheap literal prefilter says can hold evidence.
//!
//! Rule conventions, checked by tests: in each pattern, the one capture
//! whose name contains a dot is the rule id (`python.env.os-getenv`) and
//! marks the evidence line; its second segment is the category (`env`,
//! `framework`, `listen`, `import`, `http`, `grpc`, `literal`). Value
//! captures are `@name` (an env var name; `@upper_name` when code spells it
//! in lower case; `@placeholder` for a `${NAME:default}` string; `@struct_tag`
//! for a Go struct tag), `@port`,
//! `@url` and `@module`; `@exclude` marks a region of test code whose facts
//! are dropped;
//! captures starting with `_` only feed predicates. Each rule file names
//! its prefilter literals on a `; triggers: a b c` line.

mod rules;

use std::cell::RefCell;

use tree_sitter::{Parser, QueryCursor, StreamingIterator as _};

pub use rules::{Category, LanguageRules, rules_of};

use super::facts::{Fact, FactKind};
use super::lang::ParsedLanguage;
use super::model::ConnectionKind;

/// Files larger than this are hashed but not parsed.
pub const MAX_PARSE_BYTES: usize = 1 << 20;

thread_local! {
    /// One parser per thread and language, reused across files.
    static PARSERS: RefCell<Vec<(*const ParsedLanguage, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// `source` parsed by this thread's parser for `language`. `None` when the parser gave up.
pub fn parse(language: &'static ParsedLanguage, source: &str) -> Option<tree_sitter::Tree> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let position = parsers.iter().position(|(l, _)| std::ptr::eq(*l, language));
        let index = match position {
            Some(index) => index,
            None => {
                let mut parser = Parser::new();
                parser.set_language(&rules_of(language).language).ok()?;
                parsers.push((language, parser));
                parsers.len() - 1
            }
        };
        parsers[index].1.parse(source, None)
    })
}

/// Whether `source` holds any literal the language's rules need.
pub fn worth_parsing(language: &'static ParsedLanguage, source: &str) -> bool {
    source.len() <= MAX_PARSE_BYTES && rules_of(language).any_match(source)
}

/// Runs the rule files whose triggers `source` holds. `None` when the parser gave up.
pub fn extract(language: &'static ParsedLanguage, source: &str) -> Option<Vec<Fact>> {
    extract_counted(language, source).map(|(facts, _)| facts)
}

/// The same, with the number of rule files run (0: not parsed at all).
pub fn extract_counted(language: &'static ParsedLanguage, source: &str) -> Option<(Vec<Fact>, u32)> {
    let rules = rules_of(language);
    let mask = rules.matching_files(source);
    if mask == 0 {
        return Some((Vec::new(), 0));
    }
    let tree = parse(language, source)?;
    let mut cursor = QueryCursor::new();
    let mut facts = Vec::new();
    let mut excluded: Vec<std::ops::RangeInclusive<u32>> = Vec::new();
    let mut definitions: Vec<Definition> = Vec::new();
    let mut reads_by_parameter: Vec<(String, u32)> = Vec::new();
    for file in (0..rules.files.len()).filter(|i| mask & (1 << i) != 0) {
        let compiled = rules.compiled(file);
        let mut matches = cursor.matches(&compiled.query, tree.root_node(), source.as_bytes());
        while let Some(found) = matches.next() {
            for capture in found.captures() {
                if compiled.captures[capture.index as usize] == rules::CaptureRole::Exclude {
                    let (start, end) = (capture.node.start_position().row, capture.node.end_position().row);
                    excluded.push(start as u32 + 1..=end as u32 + 1);
                }
            }
            match fact_of(compiled, found, source) {
                Some(Found::Fact(fact)) => facts.push(fact),
                Some(Found::Facts(more)) => facts.extend(more),
                Some(Found::Definition(definition)) => definitions.push(definition),
                Some(Found::ReadByParameter(name, line)) => reads_by_parameter.push((name, line)),
                None => {}
            }
        }
    }
    facts.extend(wrappers(&definitions, &reads_by_parameter));
    drop_reads_shadowed_by_defaults(&mut facts);
    drop_keys_shadowed_by_members(&mut facts);
    facts.retain(|fact| !excluded.iter().any(|region| region.contains(&fact.line)));
    facts.sort_by(|a, b| (a.line, a.rule).cmp(&(b.line, b.rule)));
    facts.dedup();
    Some((facts, mask.count_ones()))
}

/// A rule may match a read twice, once with its fallback (`getenv("X", "d")`)
/// and once without: keep the one that knows the default.
fn drop_reads_shadowed_by_defaults(facts: &mut Vec<Fact>) {
    let with_default: Vec<(u32, String)> = facts
        .iter()
        .filter_map(|f| match &f.kind {
            FactKind::EnvRead { name, default: true, .. } => Some((f.line, name.clone())),
            _ => None,
        })
        .collect();
    facts.retain(|f| match &f.kind {
        FactKind::EnvRead { name, default: false, .. } => !with_default.iter().any(|(l, n)| *l == f.line && n == name),
        _ => true,
    });
}

/// A prefix bound at the same place as keys below it (`@ConfigurationProperties("a.b")`
/// on a record of `url` and `pool`) binds those keys only, not all of `a.b`.
fn drop_keys_shadowed_by_members(facts: &mut Vec<Fact>) {
    let keys: Vec<(u32, String)> = facts
        .iter()
        .filter_map(|f| match &f.kind {
            FactKind::ConfigKey { key } => Some((f.line, key.clone())),
            _ => None,
        })
        .collect();
    facts.retain(|f| match &f.kind {
        FactKind::ConfigKey { key } => !keys.iter().any(|(line, other)| {
            *line == f.line && other.len() > key.len() + 1 && other.starts_with(&format!("{key}."))
        }),
        _ => true,
    });
}

/// What one match of a rule gives: a fact, or a part of the wrapper analysis.
enum Found {
    Fact(Fact),
    /// Several reads of one match (a string with several placeholders).
    Facts(Vec<Fact>),
    Definition(Definition),
    /// An env read by the identifier `.0` (a parameter, maybe), on line `.1`.
    ReadByParameter(String, u32),
}

/// A function definition: its name, first parameter and lines.
struct Definition {
    function: String,
    parameter: String,
    lines: std::ops::RangeInclusive<u32>,
    rule: &'static str,
}

/// Functions that read the env var their first parameter names, found by
/// what their bodies do rather than by what they are called: each makes
/// its calls with an env-shaped literal reads (in inference, across files).
fn wrappers(definitions: &[Definition], reads: &[(String, u32)]) -> Vec<Fact> {
    definitions
        .iter()
        .filter(|d| reads.iter().any(|(name, line)| *name == d.parameter && d.lines.contains(line)))
        .map(|d| Fact {
            line: *d.lines.start(),
            rule: d.rule,
            kind: FactKind::EnvWrapper { function: d.function.clone() },
        })
        .collect()
}

fn fact_of(compiled: &rules::CompiledFile, found: &tree_sitter::QueryMatch<'_, '_>, source: &str) -> Option<Found> {
    let mut rule = None;
    let mut end_line = 0;
    let mut values = Values::default();
    for capture in found.captures() {
        let text = || unquote(capture.node.utf8_text(source.as_bytes()).unwrap_or_default()).to_owned();
        match compiled.captures[capture.index as usize] {
            rules::CaptureRole::Rule { id, category } => {
                rule = Some((id, category, capture.node.start_position().row as u32 + 1));
                end_line = capture.node.end_position().row as u32 + 1;
            }
            rules::CaptureRole::Function => values.function = Some(text()),
            rules::CaptureRole::Symbol => values.symbol = Some(text()),
            rules::CaptureRole::Param => values.param = Some(leading_identifier(&text()).to_owned()),
            rules::CaptureRole::Name => values.name = Some(text()),
            rules::CaptureRole::UpperName => values.name = Some(text().to_ascii_uppercase()),
            rules::CaptureRole::Placeholder => values.placeholders = placeholders(&text()),
            rules::CaptureRole::StructTag => {
                let tag = text();
                values.default |= tag.contains("envDefault:\"") || tag.contains(" default:\"");
                values.name = struct_tag_env(&tag);
                // go-flags prefixes the names of a group's fields with its `env-namespace`s,
                // once for each field of the group's type.
                if let Some(name) = values.name.as_deref().filter(|_| source.contains("env-namespace:")) {
                    values.placeholders = go_env_namespaces(capture.node, source)
                        .into_iter()
                        .map(|mut chain| {
                            chain.push(name.to_owned());
                            (chain.join("_"), values.default)
                        })
                        .collect();
                }
            }
            rules::CaptureRole::Default => {
                values.default = true;
                if capture.node.kind().contains("string") {
                    values.fallback = Some(text());
                }
            }
            rules::CaptureRole::Port => values.port = parse_port(&text()),
            rules::CaptureRole::Url => values.url = Some(text()),
            rules::CaptureRole::Module => values.module = Some(text()),
            rules::CaptureRole::Key => values.key = config_key(&text()),
            rules::CaptureRole::Member => values.member = Some(text()),
            rules::CaptureRole::Exclude | rules::CaptureRole::Ignored => {}
        }
    }
    let (rule, category, line) = rule?;
    // `@Value("http://${HOST}:${PORT}/x")`: Spring resolves each placeholder.
    if category == Category::Env && !values.placeholders.is_empty() {
        let reads = values.placeholders.into_iter().map(|(name, default)| Fact {
            line,
            rule,
            kind: FactKind::EnvRead { name, default, fallback: None },
        });
        return Some(Found::Facts(reads.collect()));
    }
    let kind = match category {
        Category::Env => {
            let name = values.name.filter(|n| is_env_name(n))?;
            // Only an address survives: the rest of a literal fallback may be a credential.
            let fallback = values
                .fallback
                .map(|f| crate::scan::redact::env_value(&name, &f))
                .filter(|f| !f.is_empty() && f != crate::scan::redact::REDACTED);
            FactKind::EnvRead { name, default: values.default, fallback }
        }
        Category::Framework => FactKind::Framework { name: rules::framework_of(rule).to_owned(), port: values.port },
        Category::Listen => FactKind::Listen { port: values.port, env: values.name.filter(|n| is_env_name(n)) },
        Category::Import => {
            let module = values.module?;
            // A setting that names what the framework loads (`:smtp` → `mail/network/delivery_methods/smtp`).
            let load = compiled.query.property_settings(found.pattern_index).iter().find(|p| &*p.key == "load");
            match load.and_then(|p| p.value.as_deref()) {
                Some(path) => FactKind::Import { module: path.replace("{}", module.trim_start_matches(':')) },
                None => FactKind::Import { module },
            }
        }
        Category::Http | Category::Grpc => {
            let kind = if category == Category::Http { ConnectionKind::Http } else { ConnectionKind::Grpc };
            let env = values.name.filter(|n| is_env_name(n));
            let url = values.url.filter(|u| !u.is_empty());
            if env.is_none() && url.is_none() {
                return None;
            }
            FactKind::Target { kind, url, env }
        }
        Category::Literal => FactKind::Literal { url: values.url? },
        Category::Config => {
            // A pattern may say under which section its key lives
            // (`GetConnectionString("db")` reads `ConnectionStrings:db`).
            let section = compiled
                .query
                .property_settings(found.pattern_index)
                .iter()
                .find(|p| &*p.key == "section")
                .and_then(|p| p.value.as_deref());
            let key = values.key.filter(|k| !k.is_empty())?;
            let key = match values.member {
                Some(member) => format!("{key}.{member}"),
                None => key,
            };
            FactKind::ConfigKey { key: section.map_or(key.clone(), |s| format!("{s}:{key}")) }
        }
        Category::EnvPrefix => FactKind::EnvPrefix { prefix: values.key.unwrap_or_default() },
        Category::Wrapper => {
            return Some(Found::Definition(Definition {
                function: values.function?,
                parameter: values.param?,
                lines: line..=end_line,
                rule,
            }));
        }
        Category::Dapr => FactKind::DaprUse { block: rules::framework_of(rule).to_owned() },
        Category::EnvArg => return Some(Found::ReadByParameter(values.param?, line)),
        Category::Call => FactKind::Call { function: values.function?, name: values.name.filter(|n| is_env_name(n))? },
        Category::EnvRecord => FactKind::EnvRecord { binding: values.function.unwrap_or_else(|| "default".to_owned()) },
        Category::Binding => {
            let exported = values.param.unwrap_or_else(|| "default".to_owned());
            // Only a module of the project's own can hand over its env record:
            // a relative path, or one under a path alias (`@server/…`, `~/…`, `#lib/…`).
            let module = values.module.filter(|m| {
                m.starts_with("./") || m.starts_with("../") || (m.starts_with(['@', '~', '#']) && m.contains('/'))
            })?;
            FactKind::ImportBinding { binding: values.function.unwrap_or_else(|| exported.clone()), module, exported }
        }
        Category::Member => {
            FactKind::Member { object: values.function?, name: values.name.filter(|n| is_env_name(n))? }
        }
        Category::GrpcClient | Category::GrpcServer => {
            FactKind::GrpcStub { symbol: values.symbol?, serves: category == Category::GrpcServer }
        }
    };
    Some(Found::Fact(Fact { line, rule, kind }))
}

/// The `env-namespace` chains (outermost first) of the groups a Go struct
/// field sits in, as github.com/jessevdk/go-flags joins them onto its `env`
/// name: the tag of each enclosing field of anonymous struct type, and, for
/// a field of a named struct type, each field of this file that has that
/// type (one chain per such field). `node` is inside the field's tag.
fn go_env_namespaces(node: tree_sitter::Node<'_>, source: &str) -> Vec<Vec<String>> {
    match enclosing(node, "field_declaration") {
        Some(field) => namespace_chains(field, source, 0),
        None => vec![Vec::new()],
    }
}

fn namespace_chains(field: tree_sitter::Node<'_>, source: &str, depth: usize) -> Vec<Vec<String>> {
    // Bounded: a type nested in itself through a pointer must not loop.
    if depth > 8 {
        return vec![Vec::new()];
    }
    let extend = |owner: tree_sitter::Node<'_>| {
        let mut chains = namespace_chains(owner, source, depth + 1);
        if let Some(namespace) = tag_value(owner, source, "env-namespace") {
            chains.iter_mut().for_each(|chain| chain.push(namespace.clone()));
        }
        chains
    };
    let owner = field.parent().and_then(|list| list.parent()).and_then(|st| st.parent());
    match owner {
        Some(owner) if owner.kind() == "field_declaration" => extend(owner),
        Some(owner) if owner.kind() == "type_spec" => {
            let name = owner.child_by_field_name("name").and_then(|n| n.utf8_text(source.as_bytes()).ok());
            let users = name.map(|name| fields_of_type(root_of(owner), name, source)).unwrap_or_default();
            if users.is_empty() {
                return vec![Vec::new()];
            }
            let mut chains: Vec<Vec<String>> = users.into_iter().flat_map(extend).collect();
            chains.sort();
            chains.dedup();
            chains
        }
        _ => vec![Vec::new()],
    }
}

fn enclosing<'a>(node: tree_sitter::Node<'a>, kind: &str) -> Option<tree_sitter::Node<'a>> {
    let mut at = Some(node);
    while let Some(current) = at {
        if current.kind() == kind {
            return Some(current);
        }
        at = current.parent();
    }
    None
}

fn root_of(node: tree_sitter::Node<'_>) -> tree_sitter::Node<'_> {
    let mut root = node;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    root
}

/// Every field declared with type `name` or `*name` (`Google AuthGroup \`…\``), at most 64.
fn fields_of_type<'a>(root: tree_sitter::Node<'a>, name: &str, source: &str) -> Vec<tree_sitter::Node<'a>> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if found.len() >= 64 {
            break;
        }
        if node.kind() == "field_declaration"
            && node
                .child_by_field_name("type")
                .and_then(|t| t.utf8_text(source.as_bytes()).ok())
                .is_some_and(|t| t.trim_start_matches('*') == name)
        {
            found.push(node);
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    found
}

/// The value of `key:"…"` in a field declaration's tag.
fn tag_value(field: tree_sitter::Node<'_>, source: &str, key: &str) -> Option<String> {
    let tag = field.child_by_field_name("tag")?.utf8_text(source.as_bytes()).ok()?;
    struct_tag_pairs(tag.trim_matches('`'))
        .find(|(k, _)| *k == key)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// The env var a Go struct tag binds: `env:"PORT,required"` (caarlos0/env)
/// or `envconfig:"PORT"` (kelseyhightower/envconfig) → `PORT`.
fn struct_tag_env(tag: &str) -> Option<String> {
    let (_, value) = struct_tag_pairs(tag).find(|(key, _)| matches!(*key, "env" | "envconfig"))?;
    let name = value.split(',').next().unwrap_or("");
    is_env_name(name).then(|| name.to_owned())
}

/// The `key:"value"` pairs of a Go struct tag, in order.
fn struct_tag_pairs(tag: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = tag;
    std::iter::from_fn(move || {
        let colon = rest.find(":\"")?;
        let key = rest[..colon].rsplit(' ').next().unwrap_or("").trim();
        let value_start = colon + 2;
        let value_end = rest[value_start..].find('"').map_or(rest.len(), |end| value_start + end);
        let value = &rest[value_start..value_end];
        rest = rest.get(value_end + 1..).unwrap_or("");
        Some((key, value))
    })
}

/// The env vars a Spring placeholder string names, each with whether it has
/// a default: `${NAME}`, `${NAME:default}`, anywhere in the string
/// (`http://${HOST}/x`); also `{NAME}` alone where the language escapes
/// the `$` into a node of its own (Kotlin's `"\${NAME}"`). Lower-case
/// keys (`${app.url}`) are configuration keys, not env vars.
fn placeholders(text: &str) -> Vec<(String, bool)> {
    let named = |inner: &str| {
        let (name, default) = inner.split_once(':').map_or((inner, false), |(name, _)| (name, true));
        is_env_name(name).then(|| (name.to_owned(), default))
    };
    if !text.contains("${") {
        return text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).and_then(named).into_iter().collect();
    }
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        found.extend(named(&after[..end]));
        rest = &after[end + 1..];
    }
    found
}

#[derive(Default)]
struct Values {
    name: Option<String>,
    port: Option<u16>,
    url: Option<String>,
    module: Option<String>,
    key: Option<String>,
    member: Option<String>,
    function: Option<String>,
    symbol: Option<String>,
    param: Option<String>,
    default: bool,
    fallback: Option<String>,
    placeholders: Vec<(String, bool)>,
}

/// `name` of `name: string = "x"`: a parameter's name without its type or default.
fn leading_identifier(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(text.len());
    &text[..end]
}

/// A configuration key as code names it: `a.b.c`, or the key of a
/// placeholder `${a.b.c:default}`. Keys with spaces, further placeholders
/// or nothing key-like in them are not keys.
fn config_key(text: &str) -> Option<String> {
    let text = text.trim();
    let key = match text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        Some(inner) => inner.split(':').next()?,
        None => text,
    };
    let valid = key.len() <= 256
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '[' | ']'));
    valid.then(|| key.to_owned())
}

/// Strips one layer of matching quotes (string nodes include them in some grammars).
fn unquote(text: &str) -> &str {
    for quote in ['"', '\'', '`'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote))
            && text.len() >= 2
        {
            return inner;
        }
    }
    text
}

/// A port from `8080`, `":8080"` or `"0.0.0.0:8080"`; port 0 is "any", not a port.
pub fn parse_port(text: &str) -> Option<u16> {
    let digits = text.trim().rsplit(':').next()?;
    digits.parse().ok().filter(|port| *port != 0)
}

/// An environment variable name as programs spell them: letters, digits,
/// underscores, not starting with a digit.
pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 128
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lang_tests;
