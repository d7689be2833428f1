//! java rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: the commented-out read, the env name inside a plain
/// string, a computed name (`"G_" + suffix`). Spring's `@Value("${DB_URL}")`
/// (line 7) is read through the `@placeholder` capture, and so is each
/// placeholder of a longer string (line 32).
#[test]
fn java_rules() {
    let source = r#"package com.example.shop;
import com.stripe.Stripe;
import static java.lang.System.getenv;
import org.springframework.boot.*;
@SpringBootApplication
public class ShopApplication {
    @Value("${DB_URL}") String dbUrl;
    private final String a = System.getenv("A");
    private final String b = System.getenv().get("B");
    private final String c = System.getenv().getOrDefault("C", "x");
    private final String d = getenv("D");
    // String e = System.getenv("COMMENTED_OUT");
    private final String f = "System.getenv(\"NOT_A_READ\")";
    private final String g = System.getenv("G_" + suffix);
    public static void main(String[] args) throws Exception {
        SpringApplication.run(ShopApplication.class, args);
        HttpServer server = HttpServer.create(new InetSocketAddress(8000), 0);
        ServerSocket socket = new ServerSocket(9000);
    }
}
class Other {
    void start() {
        Micronaut.run(Other.class);
        Quarkus.run(args);
        Javalin app = Javalin.create().start(7000);
        vertx.createHttpServer()
            .requestHandler(r -> {})
            .listen(8888);
    }
}
class Client {
    @Value("http://${CART_ADDR}:${CART_PORT:80}/cart") String cart;
    @Value("http://${app.host}/x") String host;
}
"#;
    let facts = facts_of("ShopApplication.java", source);
    let expected = [
        "2:java.import.package com.stripe.Stripe",
        "3:java.import.package java.lang.System.getenv",
        "4:java.import.package org.springframework.boot",
        "5:java.framework.spring-boot spring",
        "7:java.env.spring-value DB_URL",
        "8:java.env.system-getenv A",
        "9:java.env.system-getenv-map B",
        "10:java.env.system-getenv-map C",
        "11:java.env.system-getenv D",
        "17:java.listen.http-server 8000",
        "18:java.listen.server-socket 9000",
        "23:java.framework.micronaut micronaut",
        "24:java.framework.quarkus quarkus",
        "25:java.framework.javalin javalin",
        "25:java.listen.javalin-start 7000",
        "28:java.listen.listen-port 8888",
        "32:java.env.spring-value CART_ADDR",
        "32:java.env.spring-value CART_PORT?",
        "32:java.literal.url http://${CART_ADDR}:${CART_PORT:80}/cart",
        "33:java.literal.url http://${app.host}/x",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}
