//! How deployment configuration becomes units: one small tree per pattern,
//! scanned in-process, with what must and must not come out. Each case
//! fails when the rule it names is taken out.
//!
//! Trees are shared with `compose_conformance.rs`, which checks the same
//! compose projects against docker-compose itself.

mod cases;

use cases::{Case, Expect};
use pruv::scan::model::{ScanDocument, ServiceKind};

fn scan(case: &Case) -> (ScanDocument, Vec<String>) {
    let dir = case.materialise();
    let outcome =
        pruv::scan::scan(dir.path(), case.name, &pruv::scan::ScanOptions { threads: 1, ..Default::default() })
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    (outcome.document, outcome.warnings)
}

fn first_party(document: &ScanDocument) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = document
        .services
        .iter()
        .filter(|s| !matches!(s.kind, ServiceKind::External | ServiceKind::Datastore))
        .map(|s| (s.id.clone(), s.root.clone().unwrap_or_default()))
        .collect();
    out.sort();
    out
}

fn externals(document: &ScanDocument) -> Vec<String> {
    let mut out: Vec<String> = document
        .services
        .iter()
        .filter(|s| matches!(s.kind, ServiceKind::External | ServiceKind::Datastore))
        .map(|s| s.id.clone())
        .collect();
    out.sort();
    out
}

fn check(case: &Case) {
    let (document, warnings) = scan(case);
    let services = first_party(&document);
    let externals = externals(&document);
    let connections: Vec<(String, String)> =
        document.connections.iter().map(|c| (c.from.clone(), c.to.clone())).collect();
    let context = format!(
        "case {}: services {services:?}, externals {externals:?}, connections {connections:?}, warnings {warnings:?}",
        case.name
    );
    for expect in case.expect {
        match expect {
            Expect::Services(expected) => {
                let expected: Vec<(String, String)> =
                    expected.iter().map(|(id, root)| (id.to_string(), root.to_string())).collect();
                let mut expected = expected;
                expected.sort();
                assert_eq!(services, expected, "{context}");
            }
            Expect::Externals(expected) => {
                let mut expected: Vec<String> = expected.iter().map(|e| e.to_string()).collect();
                expected.sort();
                assert_eq!(externals, expected, "{context}");
            }
            Expect::Connection(from, to) => {
                assert!(connections.iter().any(|(f, t)| f == from && t == to), "{from} -> {to} missing; {context}");
            }
            Expect::NoConnection(from, to) => {
                assert!(!connections.iter().any(|(f, t)| f == from && t == to), "{from} -> {to} unexpected; {context}");
            }
            Expect::Ports(id, ports) => {
                let service = document.services.iter().find(|s| s.id == *id).unwrap_or_else(|| panic!("{context}"));
                assert_eq!(service.ports, *ports, "ports of {id}; {context}");
            }
            Expect::Warning(text) => {
                assert!(warnings.iter().any(|w| w.contains(text)), "no warning with {text:?}; {context}");
            }
            Expect::EnvReaders(name, readers) => {
                let var =
                    document.env_vars.iter().find(|v| v.name == *name).unwrap_or_else(|| panic!("{name}; {context}"));
                let mut found: Vec<&str> = var.used.iter().filter_map(|u| u.service.as_deref()).collect();
                found.sort();
                found.dedup();
                assert_eq!(found, *readers, "readers of {name}; {context}");
            }
            Expect::EnvPlatform(name) => {
                let var =
                    document.env_vars.iter().find(|v| v.name == *name).unwrap_or_else(|| panic!("{name}; {context}"));
                assert!(var.platform, "{name} is a platform name; {context}");
            }
            Expect::EnvOnlyElsewhere(name) => {
                let var =
                    document.env_vars.iter().find(|v| v.name == *name).unwrap_or_else(|| panic!("{name}; {context}"));
                assert!(var.used.is_empty() && !var.used_elsewhere.is_empty(), "{name}: {var:?}; {context}");
                assert_ne!(var.status, pruv::scan::model::EnvStatus::Missing, "{name}; {context}");
            }
            Expect::EnvStatus(name, status) => {
                let var =
                    document.env_vars.iter().find(|v| v.name == *name).unwrap_or_else(|| panic!("{name}; {context}"));
                assert_eq!(var.status.as_str(), *status, "status of {name}; {context}");
            }
            Expect::NoEnv(name) => {
                assert!(!document.env_vars.iter().any(|v| v.name == *name), "{name} is no env var; {context}");
            }
            Expect::EnvDefined(name) => {
                let var =
                    document.env_vars.iter().find(|v| v.name == *name).unwrap_or_else(|| panic!("{name}; {context}"));
                assert!(!var.defined.is_empty(), "{name} not defined; {context}");
            }
        }
    }
}

#[test]
fn every_deployment_case() {
    for case in cases::ALL {
        check(case);
    }
}

#[test]
fn cases_have_distinct_names() {
    let mut names: Vec<&str> = cases::ALL.iter().map(|c| c.name).collect();
    names.sort();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count);
}
