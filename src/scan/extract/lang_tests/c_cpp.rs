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
