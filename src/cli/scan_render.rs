//! Renderings of one scan document: the terminal summary, markdown,
//! mermaid and Graphviz dot. JSON is the document itself.

use std::fmt::Write as _;

use super::output::{BOLD, DIM, OK, WARN, pad, paint};
use crate::scan::model::{EnvStatus, Role, ScanDocument, Service};

fn builds(document: &ScanDocument) -> impl Iterator<Item = &Service> {
    document.services.iter().filter(|s| !s.kind.is_external())
}

fn externals(document: &ScanDocument) -> impl Iterator<Item = &Service> {
    document.services.iter().filter(|s| s.kind.is_external())
}

/// Widest id column; longer ids overflow their own line.
const MAX_ID_WIDTH: usize = 32;
/// Widest `from → to` column.
const MAX_LINK_WIDTH: usize = 56;

/// Telemetry backends and platform plumbing: listed apart from the architecture.
fn is_platform(service: &Service) -> bool {
    matches!(service.role, Some(Role::Observability | Role::Infrastructure))
}

fn ports(service: &Service) -> String {
    service.ports.iter().map(|p| format!(":{p}")).collect::<Vec<_>>().join(" ")
}

/// Variables of the system's configuration with this status (platform names left out).
fn count(document: &ScanDocument, status: EnvStatus) -> usize {
    document.env_vars.iter().filter(|v| v.status == status && !v.platform).count()
}

/// The terminal summary: services, externals, connections, env vars, hashes.
pub fn text(document: &ScanDocument, verbose: bool) -> String {
    let mut out = String::new();
    let s = &document.stats;
    let _ = writeln!(
        out,
        "{} {} · {} files · {} parsed · {} ms",
        paint(BOLD, "pruv scan"),
        document.root,
        s.files,
        s.parsed,
        s.duration_ms
    );
    let services: Vec<&Service> = builds(document).collect();
    let _ = writeln!(out, "\n{}", paint(BOLD, format!("services ({})", services.len())));
    if services.is_empty() {
        let _ = writeln!(out, "  {}", paint(DIM, "none found"));
    }
    // A long id overflows its own line rather than pushing every other column right.
    let id_width = services.iter().map(|s| s.id.chars().count()).max().unwrap_or(0).min(MAX_ID_WIDTH);
    let what_of = |service: &Service| {
        [
            service.language.as_deref(),
            service.framework.as_deref(),
            Some(service.kind.as_str()).filter(|k| *k != "service"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    };
    let what_width = services.iter().map(|s| what_of(s).chars().count()).max().unwrap_or(0);
    let ports_width = services.iter().map(|s| ports(s).len()).max().unwrap_or(0);
    for service in &services {
        let what = what_of(service);
        let root = service
            .root
            .as_deref()
            .map(|r| if r.is_empty() { "./".to_owned() } else { format!("{r}/") })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            pad(&service.id, id_width),
            pad(&what, what_width),
            pad(&ports(service), ports_width),
            paint(DIM, root)
        );
    }
    // Telemetry backends and platform plumbing are shown apart, below the architecture.
    let (platform, external): (Vec<&Service>, Vec<&Service>) = externals(document).partition(|s| is_platform(s));
    if !external.is_empty() {
        let _ = writeln!(out, "\n{}", paint(BOLD, format!("external systems ({})", external.len())));
        for service in external {
            let role = service.role.map_or(service.kind.as_str(), |r| r.as_str());
            let _ = writeln!(out, "  {}  {}", pad(&service.id, id_width.clamp(14, MAX_ID_WIDTH)), paint(DIM, role));
        }
    }
    let platform_ids: Vec<&str> = platform.iter().map(|s| s.id.as_str()).collect();
    let (to_platform, connections): (Vec<_>, Vec<_>) =
        document.connections.iter().partition(|c| platform_ids.contains(&c.to.as_str()));
    if !connections.is_empty() {
        let _ = writeln!(out, "\n{}", paint(BOLD, format!("connections ({})", connections.len())));
        let width = connections.iter().map(|c| c.from.len() + c.to.len() + 3).max().unwrap_or(0).min(MAX_LINK_WIDTH);
        for c in &connections {
            let via = match (c.via.as_deref(), c.vias.len()) {
                (None, _) => String::new(),
                (Some(v), 0 | 1) => format!("via {v}"),
                (Some(v), n) => format!("via {v} +{}", n - 1),
            };
            let kinds: Vec<&str> =
                if c.kinds.is_empty() { vec![c.kind.as_str()] } else { c.kinds.iter().map(|k| k.as_str()).collect() };
            let _ = writeln!(
                out,
                "  {}  {}  {}",
                pad(&format!("{} → {}", c.from, c.to), width),
                pad(&via, 32),
                paint(DIM, kinds.join(", "))
            );
        }
    }
    if !platform.is_empty() {
        let _ = writeln!(out, "\n{}", paint(BOLD, format!("observability & infrastructure ({})", platform.len())));
        for service in platform {
            let users = to_platform.iter().filter(|c| c.to == service.id).count();
            let role = service.role.map_or("", |r| r.as_str());
            let _ = writeln!(
                out,
                "  {}  {}",
                pad(&service.id, id_width.clamp(14, MAX_ID_WIDTH)),
                paint(DIM, format!("{role} · used by {users}"))
            );
        }
    }
    let shared = document.env_vars.iter().filter(|v| v.shared && !v.platform).count();
    let platform = document.env_vars.iter().filter(|v| v.platform).count();
    let missing = count(document, EnvStatus::Missing);
    let _ = writeln!(
        out,
        "\n{} {} defined · {} missing · {} optional · {} shared · {} unused{}",
        paint(BOLD, "env vars"),
        count(document, EnvStatus::Defined),
        if missing > 0 { paint(WARN, missing) } else { missing.to_string() },
        count(document, EnvStatus::Optional),
        shared,
        count(document, EnvStatus::Unused),
        if platform > 0 { paint(DIM, format!(" · {platform} platform")) } else { String::new() }
    );
    for var in &document.env_vars {
        let listed = verbose || (var.status == EnvStatus::Missing && !var.platform);
        if !listed || (!verbose && var.used.is_empty()) {
            continue;
        }
        let status = match var.status {
            EnvStatus::Missing => paint(WARN, "missing"),
            EnvStatus::Defined => paint(OK, "defined"),
            EnvStatus::Unused => paint(DIM, "unused"),
            EnvStatus::Optional => paint(DIM, "optional"),
        };
        let first_use = var.used.first().map(|u| format!("{}:{}", u.path, u.line)).unwrap_or_default();
        let first_definition =
            var.defined.first().map(|d| format!("defined in {}:{} ({})", d.path, d.line, d.source)).unwrap_or_default();
        let shared = match (var.shared, var.platform, var.used.is_empty() && !var.used_elsewhere.is_empty()) {
            (_, true, _) => " · platform",
            (_, _, true) => " · outside production code",
            (true, _, _) => " · shared",
            _ => "",
        };
        let first_use = if first_use.is_empty() {
            var.used_elsewhere.first().map(|u| format!("{}:{}", u.path, u.line)).unwrap_or_default()
        } else {
            first_use
        };
        let _ = writeln!(
            out,
            "  {}  {}{}  {}  {}",
            pad(&var.name, 28),
            status,
            shared,
            paint(DIM, first_use),
            paint(DIM, first_definition)
        );
    }
    if s.skipped > 0 {
        let _ = writeln!(out, "\n{}", paint(WARN, skipped_summary(document)));
    }
    let _ = writeln!(out, "\n{}  {}", paint(DIM, "graph hash"), document.graph_hash);
    let _ = writeln!(out, "{}   {}", paint(DIM, "tree hash"), document.tree_hash);
    out
}

/// One line on what the scan did not take in, so an incomplete scan never
/// reads as a complete one.
pub fn skipped_summary(document: &ScanDocument) -> String {
    let excluded = document.skipped.iter().filter(|s| s.excluded).count();
    format!(
        "incomplete: {} skipped ({} left out of the tree hash); `--format json` lists each in `skipped` with the reason",
        super::output::plural(document.stats.skipped as usize, "file", "files"),
        excluded
    )
}

/// A report for a pull request comment or a job summary.
pub fn markdown(document: &ScanDocument) -> String {
    let mut out = format!("## Architecture of `{}`\n\n", document.root);
    if document.stats.skipped > 0 {
        out += &format!("> **{}**\n\n", skipped_summary(document));
    }
    out += "| service | kind | language | framework | ports | root |\n|---|---|---|---|---|---|\n";
    for s in builds(document) {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | `{}` |",
            s.id,
            s.kind.as_str(),
            s.language.as_deref().unwrap_or("—"),
            s.framework.as_deref().unwrap_or("—"),
            ports(s),
            s.root.as_deref().unwrap_or("")
        );
    }
    let external: Vec<String> = externals(document).map(|s| format!("`{}`", s.id)).collect();
    if !external.is_empty() {
        let _ = writeln!(out, "\n**External systems:** {}", external.join(", "));
    }
    let _ = writeln!(out, "\n```mermaid\n{}```", mermaid(document));
    let _ = writeln!(
        out,
        "\n**Env vars:** {} defined · {} missing · {} optional · {} shared · {} unused",
        count(document, EnvStatus::Defined),
        count(document, EnvStatus::Missing),
        count(document, EnvStatus::Optional),
        document.env_vars.iter().filter(|v| v.shared && !v.platform).count(),
        count(document, EnvStatus::Unused)
    );
    let missing: Vec<String> = document
        .env_vars
        .iter()
        .filter(|v| v.status == EnvStatus::Missing && !v.platform)
        .map(|v| format!("`{}`", v.name))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "\nMissing (read, never defined): {}", missing.join(", "));
    }
    let _ = writeln!(
        out,
        "\n<sub>graph `{}` · tree `{}` · {} files</sub>",
        document.graph_hash, document.tree_hash, document.stats.files
    );
    out
}

/// Mermaid node ids cannot hold dots or dashes.
fn node_id(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

pub fn mermaid(document: &ScanDocument) -> String {
    let mut out = String::from("flowchart LR\n");
    for s in &document.services {
        let label = match (&s.framework, s.ports.first()) {
            (Some(f), Some(p)) => format!("{}<br/>{f} :{p}", s.id),
            (Some(f), None) => format!("{}<br/>{f}", s.id),
            (None, _) => s.id.clone(),
        };
        let shape = if s.kind.is_external() { format!("[({label})]") } else { format!("[\"{label}\"]") };
        let _ = writeln!(out, "  {}{shape}", node_id(&s.id));
    }
    for c in &document.connections {
        match &c.via {
            Some(via) => {
                let _ = writeln!(out, "  {} -->|{via}| {}", node_id(&c.from), node_id(&c.to));
            }
            None => {
                let _ = writeln!(out, "  {} --> {}", node_id(&c.from), node_id(&c.to));
            }
        }
    }
    out
}

pub fn dot(document: &ScanDocument) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::from("digraph architecture {\n  rankdir=LR;\n  node [shape=box];\n");
    for s in &document.services {
        let shape = if s.kind.is_external() { " shape=cylinder" } else { "" };
        let label = match &s.framework {
            Some(f) => format!("{}\\n{f}", s.id),
            None => s.id.clone(),
        };
        let _ = writeln!(out, "  {} [label={}{shape}];", quote(&s.id), quote(&label));
    }
    for c in &document.connections {
        let label = c.via.as_deref().map(|v| format!(" [label={}]", quote(v))).unwrap_or_default();
        let _ = writeln!(out, "  {} -> {}{label};", quote(&c.from), quote(&c.to));
    }
    out.push_str("}\n");
    out
}
