//! C and C++ rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: a read whose name is a variable, a commented-out
/// read, and an env-shaped plain string.
#[test]
fn c_rules() {
    let source = r#"#include <stdlib.h>
int main(void) {
  const char *a = getenv("A");
  char *b = secure_getenv("B");
  char *c = getenv(name);
  /* getenv("COMMENTED_OUT") */
  const char *d = "NOT_A_READ";
  const char *url = "redis://cache:6379";
}
"#;
    let facts = facts_of("main.c", source);
    let expected = ["3:c.env.getenv A", "4:c.env.getenv B", "8:c.literal.url redis://cache:6379"];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

#[test]
fn cpp_rules() {
    let source = r#"#include <grpcpp/grpcpp.h>
int main() {
  std::string a = std::getenv("A");
  const char* b = getenv("B");
  // getenv("COMMENTED_OUT")
  builder.AddListeningPort("0.0.0.0:50051", grpc::InsecureServerCredentials());
  std::string url = "http://backend:8080";
}
"#;
    let facts = facts_of("server.cpp", source);
    let expected = [
        "3:cpp.env.getenv A",
        "4:cpp.env.getenv B",
        "6:cpp.listen.grpc-port 50051",
        "7:cpp.literal.url http://backend:8080",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

#[test]
fn cpp_web_servers() {
    let source = r#"int main() {
  drogon::app().addListener("0.0.0.0", 8080).run();
  crow::SimpleApp app;
  app.port(18080).multithreaded().run();
  httplib::Server svr;
  svr.listen("0.0.0.0", 8081);
}
"#;
    let facts = facts_of("server.cpp", source);
    let expected = [
        "2:cpp.framework.drogon drogon",
        "2:cpp.listen.drogon 8080",
        "3:cpp.framework.crow crow",
        "4:cpp.listen.crow 18080",
        "5:cpp.framework.httplib httplib",
        "6:cpp.listen.httplib 8081",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}
