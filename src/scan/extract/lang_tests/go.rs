//! Go rule tests.

use crate::scan::extract::tests::facts_of;

#[test]
fn go_rules() {
    let source = r#"package main

import (
	"os"
	"github.com/go-redis/redis/v8"
	pb "example.com/proto"
)

func main() {
	a := os.Getenv("A")
	b, ok := os.LookupEnv("B")
	// c := os.Getenv("COMMENTED")
	d := "os.Getenv(\"NOT_A_READ\")"
	r := gin.Default()
	http.ListenAndServe(":8080", nil)
	r.Run(":" + os.Getenv("PORT"))
	conn, err := grpc.Dial(os.Getenv("CART_ADDR"), grpc.WithInsecure())
	http.Get("http://backend:8000/x")
	dsn := "postgres://u@db/x"
	mustMapEnv(&svc.productCatalogSvcAddr, "PRODUCT_CATALOG_SERVICE_ADDR")
	lis, _ := net.Listen("tcp", ":50051")
}
"#;
    let facts = facts_of("main.go", source);
    let expected = [
        "4:go.import.package os",
        "5:go.import.package github.com/go-redis/redis/v8",
        "6:go.import.package example.com/proto",
        "10:go.env.os-getenv A",
        "11:go.env.os-getenv B",
        "14:go.framework.gin gin",
        "15:go.listen.address 8080",
        "16:go.env.os-getenv PORT",
        "16:go.listen.env PORT",
        "17:go.env.os-getenv CART_ADDR",
        "17:go.grpc.dial CART_ADDR",
        "18:go.http.literal-url http://backend:8000/x",
        "18:go.literal.url http://backend:8000/x",
        "19:go.literal.url postgres://u@db/x",
        "20:go.env.helper PRODUCT_CATALOG_SERVICE_ADDR",
        "21:go.listen.net 50051",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

#[test]
fn go_struct_tags() {
    let source = "package config\n\ntype Config struct {\n\tPort int `env:\"PORT\" envDefault:\"8080\"`\n\tDB string `envconfig:\"DATABASE_URL\"`\n\tName string `json:\"name\"`\n}\n";
    let facts = facts_of("config.go", source);
    assert_eq!(facts, ["4:go.env.struct-tag PORT?", "5:go.env.struct-tag DATABASE_URL"], "\n{}", facts.join("\n"));
}

#[test]
fn go_flags_env_namespaces_prefix_their_groups_fields() {
    let source = "package cmd\n\ntype ServerCommand struct {\n\tStore StoreGroup `group:\"store\" env-namespace:\"STORE\"`\n\tAuth struct {\n\t\tTTL struct {\n\t\t\tJWT string `long:\"jwt\" env:\"JWT\"`\n\t\t} `group:\"ttl\" env-namespace:\"TTL\"`\n\t\tAnon bool `long:\"anon\" env:\"ANON\"`\n\t} `group:\"auth\" env-namespace:\"AUTH\"`\n\tPort int `long:\"port\" env:\"REMARK_PORT\" default:\"8080\"`\n\tGoogle AuthGroup `env-namespace:\"GOOGLE\"`\n\tGithub *AuthGroup `env-namespace:\"GITHUB\"`\n}\n\ntype StoreGroup struct {\n\tType string `long:\"type\" env:\"TYPE\"`\n}\n\ntype AuthGroup struct {\n\tCID string `env:\"CID\"`\n}\n";
    let facts = facts_of("server.go", source);
    assert_eq!(
        facts,
        [
            "7:go.env.struct-tag AUTH_TTL_JWT",
            "9:go.env.struct-tag AUTH_ANON",
            "11:go.env.struct-tag REMARK_PORT?",
            "17:go.env.struct-tag STORE_TYPE",
            "21:go.env.struct-tag GITHUB_CID",
            "21:go.env.struct-tag GOOGLE_CID",
        ],
        "\n{}",
        facts.join("\n")
    );
}
