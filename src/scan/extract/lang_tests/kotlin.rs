//! kotlin rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: a read whose name is a variable, a commented-out
/// read, and an env-shaped plain string.
#[test]
fn kotlin_rules() {
    let source = r#"import io.ktor.server.engine.embeddedServer
import org.postgresql.Driver
val a = System.getenv("A")
val b = System.getenv("B") ?: "fallback"
val c = System.getenv()["C"]
val d = System.getenv(name)
// val e = System.getenv("COMMENTED_OUT")
val f = "NOT_A_READ"
fun main() {
    embeddedServer(Netty, port = System.getenv("PORT")?.toInt() ?: 8081, module = Application::module).start(wait = true)
}
fun other(args: Array<String>) = io.ktor.server.netty.EngineMain.main(args)
val url = "http://backend:8080/api"
"#;
    let facts = facts_of("Main.kt", source);
    let expected = [
        "1:kotlin.import.package io.ktor.server.engine.embeddedServer",
        "2:kotlin.import.package org.postgresql.Driver",
        "3:kotlin.env.getenv A",
        "4:kotlin.env.getenv B?fallback",
        "5:kotlin.env.getenv C",
        "10:kotlin.env.getenv PORT?",
        "10:kotlin.framework.ktor ktor",
        "10:kotlin.listen.ktor-port 8081",
        "12:kotlin.framework.ktor ktor",
        "13:kotlin.literal.url http://backend:8080/api",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

/// Spring in Kotlin: `@Value("\${X}")` reads X; a lower-case key is configuration, not a variable.
#[test]
fn kotlin_spring_values() {
    let source = "class Cfg(\n    @Value(\"\\${DATABASE_URL}\") val url: String,\n    @Value(\"\\${PORT:8080}\") val port: Int,\n    @Value(\"\\${app.name}\") val name: String,\n)\n";
    let facts = facts_of("Cfg.kt", source);
    assert_eq!(facts, ["2:kotlin.env.spring-value DATABASE_URL", "3:kotlin.env.spring-value PORT?"], "{source}");
}
