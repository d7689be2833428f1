//! `pruv scan` on one small, real-shaped system per server language added
//! after the first eight: what it must find (services with language,
//! framework and ports, external systems, connections and env statuses),
//! and the exact rendered output as snapshots.

use serde_json::Value;

mod common;

/// The JSON document of `fixtures/languages/NAME`, with run-to-run fields blanked.
fn scan_json(name: &str) -> Value {
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("pruv"))
        .current_dir(common::fixture("languages"))
        .env_remove("PRUV_STORE")
        .env("NO_COLOR", "1")
        .env("PRUV_HELM", "never")
        .args(["scan", name, "--no-record", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let mut document: Value = serde_json::from_slice(&output.stdout).unwrap();
    document["scanned_at"] = Value::from("<redacted>");
    document["stats"]["duration_ms"] = Value::from(0);
    document
}

/// A service as `id language framework :port… root` (framework `-` when none).
fn service_line(document: &Value, id: &str) -> String {
    let service = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no service {id} in {:#}", document["services"]));
    let ports: Vec<String> = service["ports"].as_array().unwrap().iter().map(|p| format!(":{p}")).collect();
    format!(
        "{id} {} {} {} {}",
        service["language"].as_str().unwrap_or("-"),
        service["framework"].as_str().unwrap_or("-"),
        ports.join(","),
        service["root"].as_str().unwrap_or("-"),
    )
}

fn ids_of_kind(document: &Value, kinds: &[&str]) -> Vec<String> {
    let services = document["services"].as_array().unwrap();
    let of_kind = services.iter().filter(|s| kinds.contains(&s["kind"].as_str().unwrap()));
    of_kind.map(|s| s["id"].as_str().unwrap().to_owned()).collect()
}

fn env_status(document: &Value, name: &str) -> String {
    let var = document["env_vars"].as_array().unwrap().iter().find(|v| v["name"] == name);
    var.map_or_else(|| "absent".to_owned(), |v| v["status"].as_str().unwrap().to_owned())
}

struct Expected {
    fixture: &'static str,
    /// Every first-party service, as `service_line` renders it.
    services: &'static [&'static str],
    externals: &'static [&'static str],
    /// Connections that must be found, as `from->to via VAR` (or without `via`).
    connections: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const EXPECTED: &[Expected] = &[
    // Laravel: the web app and its queue worker run one image; Redis carries the queue.
    Expected {
        fixture: "laravel-queue",
        services: &["app php laravel :8000 ", "worker php laravel  "],
        externals: &["mysql", "redis"],
        connections: &["app->mysql via DB_HOST", "app->redis via REDIS_HOST", "worker->redis via REDIS_HOST"],
        env: &[("DB_HOST", "defined"), ("REDIS_PASSWORD", "missing"), ("REDIS_QUEUE", "optional")],
    },
    // Ktor storefront calling a Spring Boot (Kotlin) catalog; Gradle version catalog.
    Expected {
        fixture: "ktor-spring",
        services: &["catalog kotlin spring :8081 catalog", "storefront kotlin ktor :8080 storefront"],
        externals: &["postgres"],
        connections: &["storefront->catalog via CATALOG_URL", "catalog->postgres via CATALOG_DB_URL"],
        env: &[("CATALOG_URL", "defined"), ("CATALOG_PAGE_SIZE", "optional"), ("PORT", "optional")],
    },
    // http4s service deployed by Kubernetes under its sbt name; HOCON `${?X}`.
    Expected {
        fixture: "http4s-reviews",
        services: &["reviews scala http4s :8090 "],
        externals: &["postgres"],
        connections: &["reviews->postgres via REVIEWS_DB_URL"],
        env: &[
            ("REVIEWS_DB_PASSWORD", "defined"),
            ("REVIEWS_PORT", "optional"),
            ("MODERATION_TOKEN", "missing"),
            ("TEST_ONLY_FLAG", "absent"),
        ],
    },
    // Phoenix with Ecto on Postgres, configured at boot by config/runtime.exs.
    Expected {
        fixture: "phoenix-ecto",
        services: &["notes elixir phoenix :4000 "],
        externals: &["meilisearch", "postgres"],
        connections: &["notes->postgres via DATABASE_URL", "notes->meilisearch via SEARCH_URL"],
        env: &[("SECRET_KEY_BASE", "defined"), ("POOL_SIZE", "optional"), ("TEST_PARTITION", "absent")],
    },
    // A C++ gRPC server and its client, both built by one root Dockerfile's stages.
    Expected {
        fixture: "cpp-grpc",
        services: &["client cpp grpc  client", "pricing cpp grpc :50051 pricing"],
        externals: &["redis"],
        connections: &["client->pricing via PRICING_ADDR", "pricing->redis via REDIS_HOST"],
        env: &[("PRICING_ADDR", "defined"), ("PRICING_PORT", "missing")],
    },
];

#[test]
fn each_language_fixture_maps_to_its_system() {
    for expected in EXPECTED {
        let document = scan_json(expected.fixture);
        let name = expected.fixture;
        let first_party = ids_of_kind(&document, &["service", "frontend", "worker", "function"]);
        let services: Vec<String> = first_party.iter().map(|id| service_line(&document, id)).collect();
        assert_eq!(services, expected.services, "{name}: services");
        assert_eq!(ids_of_kind(&document, &["external", "datastore"]), expected.externals, "{name}: externals");
        let found = common::connection_lines(&document, str::to_owned);
        for connection in expected.connections {
            assert!(found.iter().any(|c| c == connection), "{name}: {connection} in {found:?}");
        }
        for (variable, status) in expected.env {
            assert_eq!(env_status(&document, variable), *status, "{name}: {variable}");
        }
        // Values never appear, only names.
        assert!(!serde_json::to_string(&document).unwrap().contains("change-me"), "{name}: a value leaked");
        insta::assert_json_snapshot!(name, document);
    }
}
