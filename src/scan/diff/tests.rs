use super::*;
use crate::scan::model::{
    Connection, ConnectionKind, Definition, EnvStatus, EnvVar, FileEntry, ScanDocument, Service, ServiceKind, Stats,
    Usage,
};

fn service(id: &str, root: &str) -> Service {
    Service {
        id: id.into(),
        name: id.into(),
        kind: ServiceKind::Service,
        language: Some("python".into()),
        framework: Some("fastapi".into()),
        root: Some(root.into()),
        ports: vec![8000],
        evidence: vec![],
        role: None,
    }
}

fn external(id: &str) -> Service {
    Service {
        id: id.into(),
        name: id.into(),
        kind: ServiceKind::Datastore,
        language: None,
        framework: None,
        root: None,
        ports: vec![],
        evidence: vec![],
        role: None,
    }
}

fn file(path: &str, hash: &str) -> FileEntry {
    FileEntry { path: path.into(), sha256: hash.into(), size: 1, language: None, symlink: None }
}

fn var(name: &str, status: EnvStatus, shared: bool) -> EnvVar {
    let usage = Usage { path: "a.py".into(), line: 1, service: None, rule: "python.env.getenv".into(), default: false };
    let definition = Definition { path: ".env.example".into(), line: 1, source: "dotenv".into() };
    EnvVar {
        name: name.into(),
        defined: if status == EnvStatus::Missing { vec![] } else { vec![definition] },
        used: if status == EnvStatus::Unused { vec![] } else { vec![usage] },
        status,
        shared,
        used_elsewhere: vec![],
        platform: false,
    }
}

fn link(from: &str, to: &str, via: Option<&str>) -> Connection {
    Connection {
        from: from.into(),
        to: to.into(),
        via: via.map(Into::into),
        kind: ConnectionKind::Env,
        vias: via.map(Into::into).into_iter().collect(),
        kinds: vec![ConnectionKind::Env],
        evidence: vec![],
    }
}

/// A document whose graph hash is made from its parts, as a scan's is.
fn document(
    files: Vec<FileEntry>,
    services: Vec<Service>,
    env_vars: Vec<EnvVar>,
    connections: Vec<Connection>,
) -> ScanDocument {
    ScanDocument {
        format: crate::scan::model::SCAN_FORMAT.into(),
        root: ".".into(),
        scanned_at: "2026-01-01T00:00:00Z".into(),
        graph_hash: crate::scan::graph::graph_hash(&services, &env_vars, &connections),
        tree_hash: String::new(),
        git: None,
        stats: Stats::default(),
        files,
        services,
        env_vars,
        connections,
        skipped: vec![],
    }
}

fn kinds(diff: &Diff) -> Vec<String> {
    diff.changes.iter().map(|c| format!("{} {}", c.kind.as_str(), c.subject)).collect()
}

#[test]
fn equal_graphs_are_no_change_whatever_the_files() {
    let old = document(vec![file("a.py", "1")], vec![service("api", "api")], vec![], vec![]);
    let new = document(vec![file("a.py", "2")], vec![service("api", "api")], vec![], vec![]);
    let diff = diff(&old, "old", &new, "new");
    assert!(!diff.architecture_changed);
    assert!(diff.changes.is_empty());
    assert_eq!(diff.files.modified, ["a.py"]);
}

#[test]
fn a_service_is_moved_when_most_of_its_files_went_with_it() {
    let old_files = vec![file("api/a.py", "1"), file("api/b.py", "2"), file("api/c.py", "3")];
    // Two of three files kept their content: a move, edited on the way.
    let moved_files = vec![file("backend/a.py", "1"), file("backend/b.py", "2"), file("backend/c.py", "9")];
    let old = document(
        old_files.clone(),
        vec![service("api", "api"), external("redis")],
        vec![],
        vec![link("api", "redis", Some("REDIS_URL"))],
    );
    let new = document(
        moved_files,
        vec![service("backend", "backend"), external("redis")],
        vec![],
        vec![link("backend", "redis", Some("REDIS_URL"))],
    );
    let diff = diff(&old, "old", &new, "new");
    assert_eq!(kinds(&diff), ["service-moved backend"], "the connection follows the move");

    // One of three is not enough: a service went and another came.
    let elsewhere = vec![file("backend/a.py", "1"), file("backend/b.py", "8"), file("backend/c.py", "9")];
    let new = document(elsewhere, vec![service("backend", "backend")], vec![], vec![]);
    let old = document(old_files, vec![service("api", "api")], vec![], vec![]);
    let diff = super::diff(&old, "old", &new, "new");
    assert_eq!(kinds(&diff), ["service-added backend", "service-removed api"]);
}

#[test]
fn changed_fields_are_listed() {
    let mut after = service("api", "api");
    after.ports = vec![8080];
    after.framework = Some("flask".into());
    let old = document(vec![], vec![service("api", "api")], vec![], vec![]);
    let new = document(vec![], vec![after], vec![], vec![]);
    let diff = diff(&old, "old", &new, "new");
    assert_eq!(kinds(&diff), ["service-changed api"]);
    let fields: Vec<&str> = diff.changes[0].fields.iter().map(|f| f.field).collect();
    assert_eq!(fields, ["framework", "ports"]);
}

#[test]
fn same_ends_through_another_variable_is_a_reroute() {
    let services = vec![service("web", "web"), service("api", "api")];
    let old = document(vec![], services.clone(), vec![], vec![link("web", "api", Some("API_URL"))]);
    let new =
        document(vec![], services, vec![], vec![link("web", "api", Some("BACKEND_URL")), link("api", "web", None)]);
    let diff = diff(&old, "old", &new, "new");
    assert_eq!(kinds(&diff), ["connection-added api -> web", "connection-rerouted web -> api"]);
    let via = &diff.changes[1].fields[0];
    assert_eq!((via.field, via.before.as_str(), via.after.as_str()), ("via", Some("API_URL"), Some("BACKEND_URL")));
}

#[test]
fn env_changes_single_out_missing_definitions() {
    let old = document(
        vec![],
        vec![],
        vec![
            var("DATABASE_URL", EnvStatus::Defined, false),
            var("GONE", EnvStatus::Unused, false),
            var("LOG_LEVEL", EnvStatus::Missing, false),
            var("TOKEN", EnvStatus::Defined, false),
        ],
        vec![],
    );
    let new = document(
        vec![],
        vec![],
        vec![
            var("DATABASE_URL", EnvStatus::Missing, false),
            var("LOG_LEVEL", EnvStatus::Defined, false),
            var("NEW_FLAG", EnvStatus::Defined, false),
            var("NEW_SECRET", EnvStatus::Missing, false),
            var("TOKEN", EnvStatus::Defined, true),
        ],
        vec![],
    );
    let diff = diff(&old, "old", &new, "new");
    assert_eq!(
        kinds(&diff),
        [
            "env-added NEW_FLAG",
            "env-removed GONE",
            "env-missing DATABASE_URL",
            "env-missing NEW_SECRET",
            "env-status LOG_LEVEL",
            "env-shared TOKEN",
        ]
    );
}

#[test]
fn policy_marks_failing_and_allowed_changes() {
    let old = document(vec![], vec![], vec![], vec![]);
    let new = document(vec![], vec![external("redis"), external("stripe")], vec![], vec![]);
    let mut diff = diff(&old, "old", &new, "new");
    let allow = vec![policy::Allow {
        kinds: policy::Selector::parse(["external-added"]).unwrap(),
        subject: "red*".into(),
        reason: "cache".into(),
    }];
    let failing = policy::apply(&mut diff, &policy::Selector::parse(["external"]).unwrap(), &allow);
    assert_eq!(failing, 1);
    assert_eq!(diff.changes[0].allowed.as_deref(), Some("cache"));
    assert!(!diff.changes[0].fails && diff.changes[1].fails);
}

/// Variables only CI jobs set, and platform names, are not the system's
/// configuration: a release that changes them changes no architecture.
#[test]
fn ci_only_and_platform_variables_are_not_architecture() {
    let mut ci_only = var("BASE_REF", EnvStatus::Unused, false);
    ci_only.defined[0].source = "ci".into();
    let mut platform = var("GITHUB_SHA", EnvStatus::Missing, false);
    platform.platform = true;
    let old = document(vec![], vec![], vec![var("DATABASE_URL", EnvStatus::Defined, false)], vec![]);
    let new = document(
        vec![],
        vec![],
        vec![
            ci_only,
            platform,
            var("DATABASE_URL", EnvStatus::Defined, false),
            var("LOG_LEVEL", EnvStatus::Defined, false),
        ],
        vec![],
    );
    assert_eq!(kinds(&diff(&old, "old", &new, "new")), ["env-added LOG_LEVEL"]);
}

/// Regression: a release whose only difference is a CI-only variable was
/// reported as "architecture changed: 0 changes".
#[test]
fn only_ci_variables_differing_is_no_architectural_change() {
    let mut ci_only = var("BASE_REF", EnvStatus::Unused, false);
    ci_only.defined[0].source = "ci".into();
    let old = document(vec![], vec![], vec![var("DATABASE_URL", EnvStatus::Defined, false)], vec![]);
    let new = document(vec![], vec![], vec![ci_only, var("DATABASE_URL", EnvStatus::Defined, false)], vec![]);
    assert_ne!(old.graph_hash, new.graph_hash);
    let found = diff(&old, "old", &new, "new");
    assert!(found.changes.is_empty());
    assert!(!found.architecture_changed);
}
