//! scala rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: a read whose name is a variable, a commented-out
/// read, and an env-shaped plain string.
#[test]
fn scala_rules() {
    let source = r#"object Main extends App {
  val a = sys.env("A")
  val b = sys.env.get("B")
  val c = sys.env.getOrElse("C", "fallback")
  val d = System.getenv("D")
  val e = scala.util.Properties.envOrElse("E", "fallback")
  val f = sys.env(name)
  // val g = sys.env("COMMENTED_OUT")
  val h = "NOT_A_READ"
  Http().newServerAt("0.0.0.0", 8080).bind(route)
  BlazeServerBuilder[IO].bindHttp(9090, "0.0.0.0")
  val url = "http://backend:8080"
}
"#;
    let facts = facts_of("Main.scala", source);
    let expected = [
        "2:scala.env.sys-env A",
        "3:scala.env.sys-env B",
        "4:scala.env.sys-env C?fallback",
        "5:scala.env.getenv D",
        "6:scala.env.properties E?fallback",
        "10:scala.framework.akka akka",
        "10:scala.listen.akka-http 8080",
        "11:scala.listen.http4s-blaze 9090",
        "12:scala.literal.url http://backend:8080",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}
