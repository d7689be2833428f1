//! `pruv scan` on the fixture repositories: what it must find, and the
//! exact rendered output (snapshots, with times redacted).

use serde_json::Value;

mod common;

/// Scans `fixtures/NAME` (labelled `NAME`) and returns stdout.
fn scan(name: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("pruv"))
        .current_dir(common::fixture(""))
        .env_remove("PRUV_STORE")
        .env("NO_COLOR", "1")
        .env("PRUV_HELM", "never")
        .args(["scan", name, "--no-record"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The JSON document with the fields that change run to run blanked.
fn scan_json(name: &str) -> Value {
    let mut document: Value = serde_json::from_str(&scan(name, &["--format", "json"])).unwrap();
    document["scanned_at"] = Value::from("<redacted>");
    document["stats"]["duration_ms"] = Value::from(0);
    document
}

fn scan_text(name: &str, extra: &[&str]) -> String {
    let text = scan(name, extra);
    // The first line ends with the duration.
    let (first, rest) = text.split_once('\n').unwrap();
    let first = first.rsplit_once(" · ").map_or(first, |(head, _)| head);
    format!("{first} · <duration>\n{rest}")
}

fn service<'a>(document: &'a Value, id: &str) -> &'a Value {
    document["services"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no service {id}"))
}

fn connections(document: &Value) -> Vec<String> {
    common::connection_lines(document, str::to_owned)
}

fn env_status(document: &Value, name: &str) -> String {
    let var = document["env_vars"].as_array().unwrap().iter().find(|v| v["name"] == name);
    var.map_or_else(|| "absent".to_owned(), |v| v["status"].as_str().unwrap().to_owned())
}

#[test]
fn fullstack_is_the_spec_example() {
    let document = scan_json("fullstack");
    let backend = service(&document, "backend");
    assert_eq!((backend["language"].as_str(), backend["framework"].as_str()), (Some("python"), Some("fastapi")));
    assert_eq!(backend["ports"], serde_json::json!([8000]));
    let frontend = service(&document, "frontend");
    assert_eq!((frontend["kind"].as_str(), frontend["framework"].as_str()), (Some("frontend"), Some("nextjs")));
    let found = connections(&document);
    for expected in [
        "frontend->backend via NEXT_PUBLIC_API_URL",
        "backend->stripe via STRIPE_SECRET_KEY",
        "backend->supabase via DATABASE_URL",
    ] {
        assert!(found.iter().any(|c| c == expected), "{expected} in {found:?}");
    }
    assert_eq!(env_status(&document, "DATABASE_URL"), "defined");
    // Values never appear in the output, only names.
    assert!(!serde_json::to_string(&document).unwrap().contains("change-me"));
    insta::assert_json_snapshot!(document);
    insta::assert_snapshot!(scan_text("fullstack", &["-v"]));
}

#[test]
fn fullstack_renders_markdown_mermaid_and_dot() {
    insta::assert_snapshot!("fullstack_markdown", scan("fullstack", &["--format", "markdown"]));
    insta::assert_snapshot!("fullstack_mermaid", scan("fullstack", &["--format", "mermaid"]));
    insta::assert_snapshot!("fullstack_dot", scan("fullstack", &["--format", "dot"]));
}

#[test]
fn polyglot_grpc_system_in_fourteen_languages() {
    let document = scan_json("grpc-polyglot");
    for (id, language, framework, port) in [
        ("frontend", "go", "gorilla", 8080),
        ("cartservice", "csharp", "aspnet", 7070),
        ("recommendation", "python", "", 8080),
        ("catalog", "java", "spring", 3550),
        ("payment", "javascript", "express", 50051),
        ("shipping", "rust", "actix", 50051),
        ("email", "ruby", "sinatra", 5000),
        ("quote", "php", "laravel", 8000),
        ("ads", "kotlin", "ktor", 9555),
        ("reviews", "scala", "http4s", 8090),
        ("accounts", "elixir", "phoenix", 4000),
        ("currency", "cpp", "grpc", 7000),
    ] {
        let s = service(&document, id);
        assert_eq!(s["language"].as_str(), Some(language), "{id}");
        assert_eq!(s["framework"].as_str().unwrap_or(""), framework, "{id}");
        assert!(s["ports"].as_array().unwrap().contains(&Value::from(port)), "{id} port {port}: {}", s["ports"]);
    }
    let found = connections(&document);
    for expected in [
        "frontend->cartservice via CART_SERVICE_ADDR",
        "frontend->recommendation via RECOMMENDATION_SERVICE_ADDR",
        "recommendation->catalog via PRODUCT_CATALOG_SERVICE_ADDR",
        "cartservice->redis via REDIS_ADDR",
        "catalog->postgres via CATALOG_DB_HOST",
        "payment->stripe via STRIPE_API_KEY",
        "ads->catalog via PRODUCT_CATALOG_SERVICE_ADDR",
        "reviews->postgres via REVIEWS_DB_URL",
        "accounts->postgres via DATABASE_URL",
    ] {
        assert!(found.iter().any(|c| c == expected), "{expected} in {found:?}");
    }
    assert_eq!(service(&document, "redis")["kind"], "datastore");
    // HOCON `${?X}` after a value, Elixir `fetch_env!`, PHP `getenv`.
    assert_eq!(env_status(&document, "REVIEWS_PORT"), "optional");
    assert_eq!(env_status(&document, "SECRET_KEY_BASE"), "defined");
    assert_eq!(env_status(&document, "QUOTE_QUEUE"), "missing");
    insta::assert_json_snapshot!(document);
    insta::assert_snapshot!(scan_text("grpc-polyglot", &[]));
}

#[test]
fn monorepo_shares_env_vars_between_apps() {
    let document = scan_json("monorepo");
    assert_eq!(service(&document, "worker")["kind"], "worker");
    assert_eq!(service(&document, "web")["kind"], "frontend");
    let database = document["env_vars"].as_array().unwrap().iter().find(|v| v["name"] == "DATABASE_URL").unwrap();
    assert_eq!(database["shared"], true);
    assert!(connections(&document).contains(&"web->api via VITE_API_URL".to_owned()));
    // The config package is a library, not a service; its reads belong to the apps that depend on it.
    assert!(document["services"].as_array().unwrap().iter().all(|s| s["root"] != "packages/config"));
    let log_level = document["env_vars"].as_array().unwrap().iter().find(|v| v["name"] == "LOG_LEVEL").unwrap();
    let library_read =
        log_level["used"].as_array().unwrap().iter().find(|u| u["path"] == "packages/config/src/index.ts").unwrap();
    assert_eq!(library_read["service"], "api");
    insta::assert_json_snapshot!(document);
    insta::assert_snapshot!(scan_text("monorepo", &["-v"]));
}

#[test]
fn hard_cases_find_only_real_reads() {
    let document = scan_json("hard-cases");
    let names: Vec<&str> =
        document["env_vars"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["FEATURE_FLAGS", "REDIS_URL", "REQUEST_TIMEOUT"]);
    // Vendored, test and node_modules files are still hashed into the tree.
    let paths: Vec<&str> = document["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"vendor/acme/client.py") && paths.contains(&"tests/test_server.py"));
    insta::assert_json_snapshot!(document);
    insta::assert_snapshot!(scan_text("hard-cases", &["-v"]));
}
