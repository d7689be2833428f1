//! rust rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: `crate::`/`self::` imports, Cargo's own
/// `env!("CARGO_PKG_VERSION")`, the commented-out read, the env name inside a
/// plain string, and ports inside "host:port" strings (`.bind("0.0.0.0:8081")`,
/// `TcpListener::bind("0.0.0.0:3000")`).
#[test]
fn rust_rules() {
    let source = r#"use std::env;
use stripe::{Client, Customer};
use ::serde::Deserialize;
use axum::routing::get as get_route;
use sqlx::postgres::*;
use crate::config::Settings;
use self::handlers::index;
extern crate redis;
lazy_static! {
    static ref DB: String = env::var("DATABASE_URL").unwrap();
}
#[derive(Parser)]
struct Args {
    #[arg(long, env = "APP_PORT", default_value_t = 8080)]
    port: u16,
}
async fn main() -> std::io::Result<()> {
    let a = std::env::var("A").unwrap();
    let b = env::var_os("B");
    let c = env!("C");
    let d = option_env!("D");
    let v = env!("CARGO_PKG_VERSION");
    // let e = env::var("COMMENTED_OUT");
    let f = "env::var(\"NOT_A_READ\")";
    let g = dotenvy::var("G");
    HttpServer::new(|| App::new().service(index))
        .bind(("0.0.0.0", 8080))?
        .run()
        .await?;
    HttpServer::new(|| App::new()).bind("0.0.0.0:8081")?;
    let app = Router::new().route("/", get(root));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
    let addr = SocketAddr::from(([0, 0, 0, 0], 3001));
    let v4 = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 3002);
    warp::serve(routes).run(([127, 0, 0, 1], 3030)).await;
    Server::builder().add_service(svc).serve(addr).await?;
    Ok(())
}
#[launch]
fn rocket() -> _ {
    rocket::build().mount("/", routes![index])
}
"#;
    let facts = facts_of("main.rs", source);
    let expected = [
        "1:rust.import.use std",
        "2:rust.import.use stripe",
        "3:rust.import.use serde",
        "4:rust.import.use axum",
        "5:rust.import.use sqlx",
        "8:rust.import.extern-crate redis",
        "10:rust.env.var-in-macro DATABASE_URL",
        "14:rust.env.clap-arg APP_PORT",
        "18:rust.env.var A",
        "19:rust.env.var B",
        "25:rust.env.var G",
        "26:rust.framework.actix actix",
        // A candidate only: it counts where a .proto declares a service `Http`.
        "26:rust.grpcserver.server serves HttpServer",
        "27:rust.listen.bind-tuple 8080",
        "30:rust.framework.actix actix",
        "30:rust.grpcserver.server serves HttpServer",
        "31:rust.framework.axum axum",
        "33:rust.listen.socket-addr 3001",
        "34:rust.listen.socket-addr 3002",
        "35:rust.framework.warp warp",
        "35:rust.listen.socket-addr 3030",
        "36:rust.framework.tonic tonic",
        "39:rust.framework.rocket rocket",
        "41:rust.framework.rocket rocket",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

#[test]
fn rust_unit_test_modules_are_not_the_program() {
    let source = "fn main() {\n    let a = std::env::var(\"REAL\");\n}\n\n#[cfg(test)]\nmod tests {\n    const DSN: &str = \"postgres://test-db/x\";\n    fn t() { let _ = std::env::var(\"TEST_ONLY\"); }\n}\n";
    let facts = facts_of("main.rs", source);
    assert_eq!(facts, ["2:rust.env.var REAL"], "\n{}", facts.join("\n"));
}
