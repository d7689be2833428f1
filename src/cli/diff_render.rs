//! Renders a `pruv.diff/1` model: text for a terminal, markdown for a
//! pull request or job summary, GitHub workflow annotations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::output::{BAD, BOLD, DIM, OK, WARN, pad, paint, plural, short_hash};
use crate::scan::diff::{Category, Change, ChangeKind, Diff, Which};
use crate::scan::model::ScanDocument;

const CATEGORIES: [(Category, &str); 4] = [
    (Category::Service, "services"),
    (Category::External, "external systems"),
    (Category::Connection, "connections"),
    (Category::Env, "env vars"),
];

/// `null` as `-`, strings bare, lists joined.
fn show(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// What the change is, in a few words.
pub fn detail(change: &Change) -> String {
    if !change.fields.is_empty() {
        let fields: Vec<String> =
            change.fields.iter().map(|f| format!("{} {} → {}", f.field, show(&f.before), show(&f.after))).collect();
        let mut text = fields.join(", ");
        if change.kind == ChangeKind::EnvMissing {
            text += " (read, no longer defined)";
        }
        return text;
    }
    let item = &change.item;
    match change.category {
        Category::Service | Category::External => {
            let mut parts = vec![show(&item["kind"])];
            for key in ["language", "framework"] {
                if !item[key].is_null() {
                    parts.push(show(&item[key]));
                }
            }
            if let Some(ports) = item["ports"].as_array().filter(|p| !p.is_empty()) {
                parts.push(ports.iter().map(|p| format!(":{p}")).collect::<Vec<_>>().join(" "));
            }
            if let Some(root) = item["root"].as_str().filter(|r| !r.is_empty()) {
                parts.push(format!("in {root}/"));
            }
            parts.join(" · ")
        }
        Category::Connection => match item["via"].as_str() {
            Some(via) => format!("via {via} ({})", show(&item["kind"])),
            None => format!("({})", show(&item["kind"])),
        },
        Category::Env => {
            let shared = if item["shared"] == Value::Bool(true) { ", shared" } else { "" };
            match change.kind {
                ChangeKind::EnvMissing => format!("read, never defined{shared}"),
                ChangeKind::EnvRemoved => format!("no longer read or defined (was {})", show(&item["status"])),
                _ => format!("{}{shared}", show(&item["status"])),
            }
        }
    }
}

fn evidence(change: &Change) -> String {
    match change.evidence.first() {
        Some(e) if e.side == Which::New => format!("{}:{}", e.path, e.line),
        Some(e) => format!("was {}:{}", e.path, e.line),
        None => String::new(),
    }
}

fn sign(change: &Change) -> String {
    let sign = change.kind.sign();
    let style = match sign {
        '+' => OK,
        '-' => BAD,
        _ => WARN,
    };
    paint(style, sign)
}

pub fn text(diff: &Diff, verbose: bool) -> String {
    let mut out =
        format!("{} {} → {}\n", paint(BOLD, "pruv diff"), paint(BOLD, &diff.old.label), paint(BOLD, &diff.new.label));
    if !diff.architecture_changed {
        let graphs = if diff.old.graph_hash == diff.new.graph_hash {
            format!("graph {} on both sides", short_hash(&diff.new.graph_hash))
        } else {
            format!(
                "only CI-only variables or platform names differ · graph {} → {}",
                short_hash(&diff.old.graph_hash),
                short_hash(&diff.new.graph_hash)
            )
        };
        let _ = writeln!(out, "{} no architectural change ({graphs})", paint(OK, "✓"));
    } else {
        let _ = writeln!(
            out,
            "architecture changed: {} · graph {} → {}",
            plural(diff.changes.len(), "change", "changes"),
            short_hash(&diff.old.graph_hash),
            short_hash(&diff.new.graph_hash)
        );
        let kind_width = diff.changes.iter().map(|c| c.kind.as_str().len()).max().unwrap_or(0);
        let subject_width = diff.changes.iter().map(|c| c.subject.chars().count()).max().unwrap_or(0).min(40);
        let detail_width = diff.changes.iter().map(|c| detail(c).chars().count()).max().unwrap_or(0).min(48);
        for (category, heading) in CATEGORIES {
            let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.category == category).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}", paint(BOLD, heading));
            for change in changes {
                let mut line = format!(
                    "  {} {}  {}  {}  {}",
                    sign(change),
                    pad(change.kind.as_str(), kind_width),
                    pad(&change.subject, subject_width),
                    pad(&detail(change), detail_width),
                    paint(DIM, evidence(change))
                );
                if change.fails {
                    line += &format!("  {}", paint(BAD, "✗ fails"));
                } else if let Some(reason) = &change.allowed {
                    line += &format!("  {}", paint(DIM, format!("allowed: {reason}")));
                }
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", file_summary(diff));
    if verbose {
        let f = &diff.files;
        for (sign, style, paths) in [('+', OK, &f.added), ('-', BAD, &f.removed), ('~', WARN, &f.modified)] {
            for path in paths {
                let _ = writeln!(out, "  {} {path}", paint(style, sign));
            }
        }
        for renamed in &f.renamed {
            let _ = writeln!(out, "  {} {} → {}", paint(WARN, '→'), renamed.from, renamed.to);
        }
    }
    if diff.failing > 0 {
        let _ = writeln!(
            out,
            "{} {} the policy fails on (exit 5)",
            paint(BAD, "✗"),
            plural(diff.failing, "change", "changes")
        );
    }
    out
}

fn file_summary(diff: &Diff) -> String {
    let f = &diff.files;
    format!(
        "files: {} added · {} removed · {} modified · {} renamed · {} unchanged",
        f.added.len(),
        f.removed.len(),
        f.modified.len(),
        f.renamed.len(),
        f.unchanged
    )
}

/// For a pull-request comment or `$GITHUB_STEP_SUMMARY`.
pub fn markdown(diff: &Diff, old: &ScanDocument, new: &ScanDocument) -> String {
    let mut out = format!("## pruv diff: `{}` → `{}`\n\n", diff.old.label, diff.new.label);
    if !diff.architecture_changed {
        let _ = writeln!(out, "✅ **No architectural change** (graph `{}`).\n", short_hash(&diff.new.graph_hash));
    } else {
        let verdict = if diff.failing > 0 {
            format!("❌ **{} the policy fails on**", plural(diff.failing, "change", "changes"))
        } else {
            "⚠️ **Architecture changed**".to_owned()
        };
        let _ = writeln!(
            out,
            "{verdict} · {} · graph `{}` → `{}`\n",
            plural(diff.changes.len(), "change", "changes"),
            short_hash(&diff.old.graph_hash),
            short_hash(&diff.new.graph_hash)
        );
        out += "| | change | subject | detail | evidence |\n|---|---|---|---|---|\n";
        for change in &diff.changes {
            let mark = if change.fails {
                "❌"
            } else if change.allowed.is_some() {
                "☑️"
            } else {
                match change.kind.sign() {
                    '+' => "➕",
                    '-' => "➖",
                    _ => "✏️",
                }
            };
            let mut detail = escape_cell(&detail(change));
            if let Some(reason) = &change.allowed {
                detail += &format!(" — allowed: {}", escape_cell(reason));
            }
            let evidence = evidence(change);
            let evidence = if evidence.is_empty() { String::new() } else { format!("`{}`", escape_cell(&evidence)) };
            let _ = writeln!(
                out,
                "| {mark} | {} | `{}` | {detail} | {evidence} |",
                change.kind.as_str(),
                escape_cell(&change.subject)
            );
        }
        let graph = mermaid(diff, old, new);
        if !graph.is_empty() {
            let _ = writeln!(out, "\n```mermaid\n{graph}```");
        }
        out.push('\n');
    }
    let f = &diff.files;
    if f.is_empty() {
        let _ = writeln!(out, "<sub>{}</sub>", file_summary(diff));
    } else {
        let _ = writeln!(out, "<details><summary>{}</summary>\n", file_summary(diff));
        for (sign, paths) in [("added", &f.added), ("removed", &f.removed), ("modified", &f.modified)] {
            for path in paths {
                let _ = writeln!(out, "- {sign} `{}`", escape_cell(path));
            }
        }
        for renamed in &f.renamed {
            let _ = writeln!(out, "- renamed `{}` → `{}`", escape_cell(&renamed.from), escape_cell(&renamed.to));
        }
        out += "\n</details>\n";
    }
    let _ = writeln!(
        out,
        "\n<sub>tree `{}` → `{}` · `pruv diff --format json` has the evidence</sub>",
        short_hash(&diff.old.tree_hash),
        short_hash(&diff.new.tree_hash)
    );
    out
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ").replace('`', "'")
}

/// Mermaid node ids: letters, digits and `_` only, prefixed so that ids
/// differing only in punctuation stay apart.
fn node_id(id: &str) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("n{}_{safe}", &crate::core::hash::sha256_hex(id.as_bytes())[..6])
}

/// What changed, as a graph: changed services and the ends of changed
/// connections; green added, red removed, orange changed.
fn mermaid(diff: &Diff, old: &ScanDocument, new: &ScanDocument) -> String {
    let external =
        |id: &str| new.services.iter().chain(&old.services).find(|s| s.id == id).is_some_and(|s| s.kind.is_external());
    let mut nodes: BTreeMap<String, Option<&'static str>> = BTreeMap::new();
    let mut edges = Vec::new();
    for change in &diff.changes {
        let class = match change.kind.sign() {
            '+' => "added",
            '-' => "removed",
            _ => "changed",
        };
        match change.category {
            Category::Service | Category::External => {
                nodes.insert(change.subject.clone(), Some(class));
            }
            Category::Connection => {
                let (from, to) = (show(&change.item["from"]), show(&change.item["to"]));
                let label = match change.fields.iter().find(|f| f.field == "via") {
                    Some(via) => format!("{} → {}", show(&via.before), show(&via.after)),
                    None => change.item["via"].as_str().unwrap_or("").to_owned(),
                };
                nodes.entry(from.clone()).or_insert(None);
                nodes.entry(to.clone()).or_insert(None);
                edges.push((from, to, label, class));
            }
            Category::Env => {}
        }
    }
    if nodes.is_empty() {
        return String::new();
    }
    let mut out = String::from("flowchart LR\n");
    for (id, class) in &nodes {
        let label = id.replace('"', "'");
        let shape = if external(id) { format!("[(\"{label}\")]") } else { format!("[\"{label}\"]") };
        let class = class.map(|c| format!(":::{c}")).unwrap_or_default();
        let _ = writeln!(out, "  {}{shape}{class}", node_id(id));
    }
    let mut styles = String::new();
    for (i, (from, to, label, class)) in edges.iter().enumerate() {
        let arrow = if *class == "removed" { "-.->" } else { "-->" };
        let label = label.replace(['"', '|'], "'");
        let link = if label.is_empty() { String::new() } else { format!("|\"{label}\"|") };
        let _ = writeln!(out, "  {} {arrow}{link} {}", node_id(from), node_id(to));
        let colour = match *class {
            "added" => "#2da44e",
            "removed" => "#cf222e",
            _ => "#bf8700",
        };
        let _ = writeln!(styles, "  linkStyle {i} stroke:{colour},stroke-width:2px");
    }
    out += &styles;
    out += "  classDef added fill:#dafbe1,stroke:#2da44e\n";
    out += "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4\n";
    out += "  classDef changed fill:#fff8c5,stroke:#bf8700\n";
    out
}

/// GitHub workflow commands: one annotation per change, on its evidence
/// line in the new tree (`prefix` is the scanned directory inside the
/// repository); errors for changes the policy fails on.
pub fn github(diff: &Diff, prefix: &str) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let level = if change.fails { "error" } else { "notice" };
        let mut properties = Vec::new();
        if let Some(e) = change.evidence.first().filter(|e| e.side == Which::New) {
            let path = if prefix.is_empty() { e.path.clone() } else { format!("{prefix}/{}", e.path) };
            properties.push(format!("file={}", escape_property(&path)));
            properties.push(format!("line={}", e.line));
        }
        properties
            .push(format!("title={}", escape_property(&format!("pruv: {} {}", change.kind.as_str(), change.subject))));
        let mut message = detail(change);
        if let Some(reason) = &change.allowed {
            message += &format!(" (allowed: {reason})");
        }
        let _ = writeln!(out, "::{level} {}::{}", properties.join(","), escape_data(&message));
    }
    let summary = if diff.architecture_changed {
        format!(
            "{} ({} failing) between {} and {}",
            plural(diff.changes.len(), "architectural change", "architectural changes"),
            diff.failing,
            diff.old.label,
            diff.new.label
        )
    } else {
        format!("no architectural change between {} and {}", diff.old.label, diff.new.label)
    };
    let _ = writeln!(out, "::notice title=pruv diff::{}", escape_data(&summary));
    out
}

/// Workflow command data: `%`, CR and LF are encoded.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow command properties: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
