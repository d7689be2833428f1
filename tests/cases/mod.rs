//! Small trees, one per deployment pattern, and what pruv must make of them.
#![allow(dead_code)]

pub struct Case {
    pub name: &'static str,
    /// (path, contents) of every file of the tree.
    pub files: &'static [(&'static str, &'static str)],
    pub expect: &'static [Expect],
}

pub enum Expect {
    /// Exactly these first-party services, as (id, root).
    Services(&'static [(&'static str, &'static str)]),
    /// Exactly these external systems, by id.
    Externals(&'static [&'static str]),
    Connection(&'static str, &'static str),
    NoConnection(&'static str, &'static str),
    Ports(&'static str, &'static [u16]),
    Warning(&'static str),
    EnvDefined(&'static str),
    /// The services that read an env var.
    EnvReaders(&'static str, &'static [&'static str]),
    /// No env var of this name at all.
    NoEnv(&'static str),
    /// The status of an env var (`defined`, `missing`, `optional`, `unused`).
    EnvStatus(&'static str, &'static str),
    /// A name the platform or tooling sets, listed as such.
    EnvPlatform(&'static str),
    /// Read only outside production code (tools, harnesses): no production reads.
    EnvOnlyElsewhere(&'static str),
}

impl Case {
    /// The tree in a fresh temporary directory.
    pub fn materialise(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, contents) in self.files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
            std::fs::write(full, contents).expect("write");
        }
        dir
    }
}

const FASTAPI_REQUIREMENTS: &str = "fastapi\nuvicorn\n";
const FASTAPI_MAIN: &str = "from fastapi import FastAPI\n\napp = FastAPI()\n";
const EXPRESS_PACKAGE: &str =
    "{\"name\": \"web\", \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"express\": \"4\"}}\n";
const EXPRESS_SERVER: &str = "const express = require('express');\nconst app = express();\napp.listen(3000);\n";
const DOTNET_WEB_PROJECT: &str = "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n</Project>\n";
const GO_MOD: &str = "module example.com/svc\n\ngo 1.22\n";
const GO_MAIN: &str = "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/\", nil)\n}\n";

pub static ALL: &[Case] = &[
    Case {
        // The addresses come from a mesh the tree does not describe: only the
        // .proto services tie each client stub to its implementer.
        name: "grpc-clients-reach-the-implementers-of-their-proto-services",
        files: &[
            (
                "protos/demo.proto",
                "syntax = \"proto3\";\npackage shop;\nservice CartService {\n  rpc GetCart(Req) returns (Cart) {}\n}\nservice CurrencyService {\n  rpc Convert(Money) returns (Money) {}\n}\n// service Retired {}\n",
            ),
            (
                "docker-compose.yml",
                "services:\n  frontend:\n    build: ./frontend\n  cart:\n    build: ./cart\n  currency:\n    build: ./currency\n",
            ),
            ("frontend/Dockerfile", "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n"),
            ("frontend/go.mod", "module example.com/frontend\n\ngo 1.22\n\nrequire google.golang.org/grpc v1.60.0\n"),
            (
                "frontend/main.go",
                "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t\"google.golang.org/grpc\"\n\tpb \"example.com/frontend/genproto\"\n)\n\nfunc main() {\n\tconn, _ := grpc.NewClient(os.Getenv(\"UPSTREAM\"))\n\tcart := pb.NewCartServiceClient(conn)\n\tmoney := pb.NewCurrencyServiceClient(conn)\n\t_, _ = cart, money\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
            ),
            ("cart/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"server.py\"]\n"),
            ("cart/requirements.txt", "grpcio\n"),
            (
                "cart/server.py",
                "import grpc\nimport demo_pb2_grpc\n\nclass Cart(demo_pb2_grpc.CartServiceServicer):\n    def GetCart(self, request, context):\n        money = demo_pb2_grpc.CurrencyServiceStub(grpc.insecure_channel(peer))\n\ndef serve():\n    server = grpc.server(None)\n    demo_pb2_grpc.add_CartServiceServicer_to_server(Cart(), server)\n    server.add_insecure_port(\"[::]:7070\")\n    server.start()\n",
            ),
            ("currency/Dockerfile", "FROM node:20\nCOPY . .\nCMD [\"node\", \"index.js\"]\n"),
            (
                "currency/package.json",
                "{\"name\": \"currency\", \"main\": \"index.js\", \"dependencies\": {\"@grpc/grpc-js\": \"1\"}}\n",
            ),
            (
                "currency/index.js",
                "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\nserver.addService(shop.CurrencyService.service, { convert });\nserver.bindAsync('0.0.0.0:7000', grpc.ServerCredentials.createInsecure(), () => {});\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("cart", "cart"), ("currency", "currency"), ("frontend", "frontend")]),
            Expect::Connection("frontend", "cart"),
            Expect::Connection("frontend", "currency"),
            Expect::Connection("cart", "currency"),
            Expect::NoConnection("currency", "cart"),
            Expect::NoConnection("cart", "frontend"),
        ],
    },
    Case {
        // Two units serve the same proto service: the stub alone cannot say which one a client calls.
        name: "grpc-client-of-a-service-two-units-implement-is-left-to-the-address",
        files: &[
            ("api.proto", "service Quotes {\n  rpc Get(Req) returns (Quote);\n}\n"),
            (
                "docker-compose.yml",
                "services:\n  web:\n    build: ./web\n  quotes:\n    build: ./quotes\n  cache:\n    build: ./cache\n",
            ),
            ("web/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"),
            ("web/app.py", "import api_pb2_grpc\nstub = api_pb2_grpc.QuotesStub(channel)\n"),
            ("quotes/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"serve.py\"]\n"),
            ("quotes/serve.py", "import api_pb2_grpc\napi_pb2_grpc.add_QuotesServicer_to_server(Impl(), server)\n"),
            ("cache/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"serve.py\"]\n"),
            ("cache/serve.py", "import api_pb2_grpc\napi_pb2_grpc.add_QuotesServicer_to_server(Cached(), server)\n"),
        ],
        expect: &[
            Expect::Services(&[("cache", "cache"), ("quotes", "quotes"), ("web", "web")]),
            Expect::NoConnection("web", "quotes"),
            Expect::NoConnection("web", "cache"),
        ],
    },
    Case {
        name: "interpolation-from-the-projects-dotenv",
        files: &[
            (".env", "WEB_DOCKERFILE=web/Dockerfile\nWEB_PORT=8080\nAPI_HOST=api\n"),
            (
                "compose.yaml",
                "services:\n  web:\n    build:\n      context: .\n      dockerfile: ${WEB_DOCKERFILE}\n    ports: [\"${WEB_PORT:-3000}:${WEB_PORT:-3000}\"]\n    environment:\n      API_URL: http://${API_HOST}:9000\n  api:\n    build: ./api\n",
            ),
            ("web/Dockerfile", "FROM node:20\nCOPY . /app\nCMD [\"node\", \"server.js\"]\n"),
            ("web/package.json", EXPRESS_PACKAGE),
            ("web/server.js", EXPRESS_SERVER),
            ("api/Dockerfile", "FROM python:3.12\nCOPY . /app\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api"), ("web", "web")]),
            Expect::Ports("web", &[3000, 8080]),
            Expect::Connection("web", "api"),
        ],
    },
    Case {
        name: "an-override-gives-an-image-its-build",
        files: &[
            (
                "compose.yaml",
                "services:\n  api:\n    image: acme/api:1.0\n    ports: ['8000:8000']\n  db:\n    image: postgres:16\n",
            ),
            (
                "compose.override.yaml",
                "services:\n  api:\n    build: ./api\n    environment:\n      DATABASE_URL: postgres://db:5432/app\n",
            ),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api")]),
            Expect::Externals(&["postgres"]),
            Expect::Connection("api", "postgres"),
            Expect::Ports("api", &[8000]),
        ],
    },
    Case {
        name: "extends-a-service-of-another-file",
        files: &[
            (
                "common.yml",
                "services:\n  base:\n    build: ./app\n    environment:\n      REDIS_URL: redis://cache:6379\n",
            ),
            (
                "compose.yaml",
                "services:\n  web:\n    extends:\n      file: common.yml\n      service: base\n    ports: ['8000']\n  cache:\n    image: redis:7\n",
            ),
            ("app/requirements.txt", FASTAPI_REQUIREMENTS),
            ("app/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("web", "app")]),
            Expect::Externals(&["redis"]),
            Expect::Connection("web", "redis"),
        ],
    },
    Case {
        name: "include-brings-another-projects-services",
        files: &[
            ("infra/compose.yaml", "services:\n  db:\n    image: postgres:16\n"),
            ("other/compose.yaml", "services:\n  db:\n    image: mysql:8\n"),
            (
                "compose.yaml",
                "include:\n  - infra/compose.yaml\nservices:\n  api:\n    build: ./api\n    environment:\n      DB_HOST: db\n    depends_on: [db]\n",
            ),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api")]),
            Expect::Externals(&["mysql", "postgres"]),
            Expect::Connection("api", "postgres"),
            Expect::NoConnection("api", "mysql"),
        ],
    },
    Case {
        name: "compose-v1-services-at-the-top-level",
        files: &[
            ("docker-compose.yml", "web:\n  build: ./web\n  links:\n    - redis\nredis:\n  image: redis\n"),
            ("web/package.json", EXPRESS_PACKAGE),
            ("web/server.js", EXPRESS_SERVER),
        ],
        expect: &[
            Expect::Services(&[("web", "web")]),
            Expect::Externals(&["redis"]),
            Expect::Connection("web", "redis"),
        ],
    },
    Case {
        name: "a-flow-sequence-closed-at-its-keys-indentation",
        files: &[
            ("docker-compose.yml", "services:\n  web:\n    build: ./web\n    ports: [\n      \"80:3000\"\n    ]\n"),
            ("web/package.json", EXPRESS_PACKAGE),
            ("web/server.js", EXPRESS_SERVER),
        ],
        expect: &[Expect::Services(&[("web", "web")]), Expect::Ports("web", &[3000])],
    },
    Case {
        name: "an-alias-bomb-is-refused-with-a-warning",
        files: &[
            (
                "compose.yaml",
                "x-a: &a [x, x, x, x, x, x, x, x, x, x]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nx-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nx-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nx-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nx-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\nservices:\n  bomb:\n    image: busybox\n    command: *f\n",
            ),
            ("api/docker-compose.yml", "services:\n  api:\n    build: .\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[Expect::Warning("alias bomb"), Expect::Services(&[("api", "api")])],
    },
    Case {
        name: "a-root-context-build-with-a-dockerfile-per-service",
        files: &[
            (
                "compose.yaml",
                "services:\n  a:\n    build:\n      context: .\n      dockerfile: services/a/Dockerfile\n  b:\n    build:\n      context: .\n      dockerfile: services/b/Dockerfile\n",
            ),
            ("services/a/Dockerfile", "FROM golang:1.22\nCOPY . /src\n"),
            ("services/a/go.mod", GO_MOD),
            ("services/a/main.go", GO_MAIN),
            ("services/b/Dockerfile", "FROM node:20\nCOPY services/b /app\n"),
            ("services/b/package.json", EXPRESS_PACKAGE),
            ("services/b/server.js", EXPRESS_SERVER),
        ],
        expect: &[Expect::Services(&[("a", "services/a"), ("b", "services/b")])],
    },
    Case {
        name: "dockerfiles-kept-apart-build-what-they-copy",
        files: &[
            (
                "compose.yaml",
                "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api.Dockerfile\n  web:\n    build:\n      context: .\n      dockerfile: docker/web.Dockerfile\n",
            ),
            ("docker/api.Dockerfile", "FROM python:3.12\nCOPY services/api/ /app\n"),
            ("docker/web.Dockerfile", "FROM node:20\nCOPY --chown=node apps/web /app\n"),
            ("services/api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("services/api/main.py", FASTAPI_MAIN),
            ("apps/web/package.json", EXPRESS_PACKAGE),
            ("apps/web/server.js", EXPRESS_SERVER),
        ],
        expect: &[Expect::Services(&[("api", "services/api"), ("web", "apps/web")])],
    },
    Case {
        name: "a-dockerfile-nested-in-its-module",
        files: &[
            (
                "app/pom.xml",
                "<project><artifactId>app</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "app/src/main/java/com/acme/App.java",
                "package com.acme;\n\n@SpringBootApplication\npublic class App {\n    public static void main(String[] args) {\n        SpringApplication.run(App.class, args);\n    }\n}\n",
            ),
            ("app/src/main/docker/Dockerfile", "FROM eclipse-temurin:21\nCOPY target/app.jar /app.jar\nEXPOSE 9090\n"),
        ],
        expect: &[Expect::Services(&[("app", "app")]), Expect::Ports("app", &[9090])],
    },
    Case {
        name: "a-debug-stage-does-not-expose-the-image",
        files: &[
            (
                "svc/Dockerfile",
                "FROM golang:1.22 AS build\nCOPY . /src\nRUN go build -o /out/app .\nFROM build AS debug\nEXPOSE 2345\nFROM alpine:3 AS runtime\nCOPY --from=build /out/app /app\nEXPOSE 8080\n",
            ),
            ("svc/go.mod", GO_MOD),
            ("svc/main.go", GO_MAIN),
        ],
        expect: &[Expect::Services(&[("svc", "svc")]), Expect::Ports("svc", &[8080])],
    },
    Case {
        name: "a-port-set-through-the-deployments-env",
        files: &[
            (".env", "API_PORT=7000\n"),
            ("compose.yaml", "services:\n  api:\n    build: ./api\n    environment:\n      PORT: ${API_PORT}\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[Expect::Services(&[("api", "api")]), Expect::Ports("api", &[7000]), Expect::EnvDefined("API_PORT")],
    },
    Case {
        name: "a-workload-runs-the-image-named-after-a-program",
        files: &[
            ("cart/Dockerfile", "FROM golang:1.22\nCOPY . /src\n"),
            ("cart/go.mod", GO_MOD),
            ("cart/main.go", GO_MAIN),
            (
                "k8s/cart.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shopping-basket\nspec:\n  template:\n    spec:\n      containers:\n        - name: main\n          image: registry.example.com/shop/shop-cart:1.4\n          env:\n            - name: REDIS_ADDR\n              value: cache:6379\n",
            ),
            (
                "k8s/cache.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n",
            ),
        ],
        expect: &[
            // Named as the cluster knows it, rooted where its code is.
            Expect::Services(&[("shopping-basket", "cart")]),
            Expect::Externals(&["redis"]),
            Expect::Connection("shopping-basket", "redis"),
        ],
    },
    Case {
        name: "a-tag-that-names-the-program",
        files: &[
            (
                "compose.yaml",
                "services:\n  checkout:\n    image: ${REGISTRY}/shop:${TAG}-cart\n    environment:\n      PORT: \"8081\"\n",
            ),
            ("cart/package.json", EXPRESS_PACKAGE),
            ("cart/server.js", EXPRESS_SERVER),
        ],
        expect: &[
            Expect::Services(&[("checkout", "cart")]),
            Expect::Externals(&[]),
            Expect::Ports("checkout", &[3000, 8081]),
        ],
    },
    Case {
        name: "a-utility-image-is-no-system",
        files: &[
            (
                "compose.yaml",
                "services:\n  migrate:\n    image: alpine:3.20\n    command: sh -c 'echo migrate'\n  app:\n    build: ./app\n",
            ),
            ("app/requirements.txt", FASTAPI_REQUIREMENTS),
            ("app/main.py", FASTAPI_MAIN),
        ],
        expect: &[Expect::Services(&[("app", "app")]), Expect::Externals(&[])],
    },
    Case {
        name: "an-image-built-here-is-first-party-wherever-it-runs",
        files: &[
            ("compose.yaml", "services:\n  api:\n    build: ./api\n    image: acme/backend:dev\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
            (
                "deploy/backend.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backend-v2\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/backend:1.0\n          ports:\n            - containerPort: 8000\n",
            ),
        ],
        expect: &[Expect::Services(&[("api", "api")]), Expect::Externals(&[]), Expect::Ports("api", &[8000])],
    },
    Case {
        name: "a-second-dockerfile-beside-the-code-builds-another-service",
        files: &[
            ("compose.yaml", "services:\n  e2e:\n    build:\n      context: .\n      dockerfile: web/Dockerfile.e2e\n"),
            ("web/Dockerfile.e2e", "FROM node:20\nCOPY web /tests\n"),
            ("web/package.json", EXPRESS_PACKAGE),
            ("web/server.js", EXPRESS_SERVER),
        ],
        expect: &[Expect::Services(&[("e2e", "web"), ("web", "web")])],
    },
    Case {
        name: "a-kubernetes-service-name-reaches-the-workload-it-selects",
        files: &[
            ("cart/Dockerfile", "FROM golang:1.22\nCOPY . /src\n"),
            ("cart/go.mod", GO_MOD),
            ("cart/main.go", GO_MAIN),
            ("frontend/Dockerfile", "FROM node:20\nCOPY . /app\n"),
            ("frontend/package.json", EXPRESS_PACKAGE),
            (
                "frontend/server.js",
                "const express = require('express');\nconst cart = process.env.CART_SERVICE_ADDR;\nexpress().listen(3000);\n",
            ),
            (
                "k8s/cart.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart-v2\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: cart-v2\n    spec:\n      containers:\n        - name: cart\n          image: cart\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    app: cart-v2\n  ports:\n    - port: 7070\n      targetPort: 8080\n",
            ),
            (
                "k8s/frontend.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: frontend\n    spec:\n      containers:\n        - name: web\n          image: frontend\n          envFrom:\n            - configMapRef:\n                name: frontend-config\n",
            ),
            (
                "k8s/config.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frontend-config\n  namespace: shop\ndata:\n  CART_SERVICE_ADDR: cart.shop.svc.cluster.local:7070\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("cart-v2", "cart"), ("frontend", "frontend")]),
            Expect::Connection("frontend", "cart-v2"),
            Expect::EnvDefined("CART_SERVICE_ADDR"),
        ],
    },
    Case {
        name: "go-programs-in-cmd-share-internal-packages",
        files: &[
            (
                "go.mod",
                "module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tgithub.com/nats-io/nats.go v1.31.0\n)\n",
            ),
            (
                "cmd/api/main.go",
                "package main\n\nimport (\n\t\"example.com/shop/internal/config\"\n\t\"example.com/shop/internal/store\"\n)\n\nfunc main() {\n\tconfig.Load()\n\tstore.Open()\n}\n",
            ),
            (
                "cmd/worker/main.go",
                "package main\n\nimport (\n\t\"example.com/shop/internal/config\"\n\t\"example.com/shop/internal/queue\"\n)\n\nfunc main() {\n\tconfig.Load()\n\tqueue.Run()\n}\n",
            ),
            (
                "cmd/migrate/main.go",
                "package main\n\nimport \"example.com/shop/internal/store\"\n\nfunc main() {\n\tstore.Open()\n}\n",
            ),
            (
                "internal/store/store.go",
                "package store\n\nimport (\n\t\"database/sql\"\n\t\"os\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc Open() (*sql.DB, error) {\n\treturn sql.Open(\"postgres\", os.Getenv(\"DATABASE_URL\"))\n}\n",
            ),
            (
                "internal/queue/queue.go",
                "package queue\n\nimport (\n\t\"os\"\n\n\t\"github.com/nats-io/nats.go\"\n)\n\nfunc Run() {\n\tnats.Connect(os.Getenv(\"NATS_URL\"))\n}\n",
            ),
            (
                "internal/config/config.go",
                "package config\n\nimport \"os\"\n\nfunc Load() string {\n\treturn os.Getenv(\"LOG_LEVEL\")\n}\n",
            ),
            (
                "tools/gen/main.go",
                "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("api", "cmd/api"), ("migrate", "cmd/migrate"), ("worker", "cmd/worker")]),
            Expect::Connection("api", "postgres"),
            Expect::Connection("migrate", "postgres"),
            Expect::Connection("worker", "nats"),
            Expect::NoConnection("api", "nats"),
            Expect::NoConnection("worker", "postgres"),
            Expect::EnvReaders("LOG_LEVEL", &["api", "worker"]),
            Expect::EnvReaders("DATABASE_URL", &["api", "migrate"]),
        ],
    },
    Case {
        name: "a-config-servers-file-named-after-an-application-configures-it",
        files: &[
            (
                "accounts/pom.xml",
                "<project><artifactId>accounts</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "accounts/src/main/java/a/App.java",
                "package a;\n@SpringBootApplication\npublic class App {\n    public static void main(String[] args) {}\n}\n",
            ),
            ("accounts/src/main/resources/bootstrap.yml", "spring:\n  application:\n    name: account-service\n"),
            (
                "config/pom.xml",
                "<project><artifactId>config</artifactId><dependencies><dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-config-server</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "config/src/main/java/c/Config.java",
                "package c;\n@SpringBootApplication\npublic class Config {\n    public static void main(String[] args) {}\n}\n",
            ),
            (
                "config/src/main/resources/shared/account-service.yml",
                "spring:\n  data:\n    mongodb:\n      uri: mongodb://${MONGO_HOST:account-mongodb}:27017/accounts\n      password: ${ACCOUNT_DB_PASSWORD}\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("accounts", "accounts"), ("config", "config")]),
            Expect::Connection("accounts", "mongodb"),
            Expect::NoConnection("config", "mongodb"),
            Expect::EnvReaders("ACCOUNT_DB_PASSWORD", &["accounts"]),
        ],
    },
    Case {
        name: "a-procfile-names-the-processes-of-its-directory",
        files: &[
            (
                "Procfile",
                "web: bundle exec puma -C config/puma.rb\nworker: DB_POOL=10 bundle exec sidekiq\nrelease: bin/rails db:migrate\n",
            ),
            ("Procfile.dev", "css: bin/rails tailwindcss:watch\n"),
            ("Gemfile", "source 'https://rubygems.org'\ngem 'rails'\ngem 'sidekiq'\ngem 'pg'\n"),
            ("config.ru", "require_relative 'config/environment'\nrun Rails.application\n"),
            ("config/database.yml", "production:\n  url: <%= ENV['DATABASE_URL'] %>\n"),
        ],
        expect: &[Expect::Services(&[("web", ""), ("worker", "")]), Expect::EnvDefined("DB_POOL")],
    },
    Case {
        // The Gemfile names none of these systems: Rails' own settings do.
        name: "rails-settings-name-the-systems-rails-loads-adapters-for",
        files: &[
            ("Gemfile", "source 'https://rubygems.org'\ngem 'rails'\n"),
            ("config.ru", "require_relative 'config/environment'\nrun Rails.application\n"),
            (
                "config/database.yml",
                "default: &default\n  adapter: postgresql\n  url: <%= ENV['DATABASE_URL'] %>\ndevelopment:\n  <<: *default\ntest:\n  adapter: sqlite3\nproduction:\n  <<: *default\n",
            ),
            (
                "config/cable.yml",
                "development:\n  adapter: async\nproduction:\n  adapter: redis\n  url: <%= ENV['REDIS_URL'] %>\n",
            ),
            ("config/storage.yml", "test:\n  service: Disk\namazon:\n  service: S3\n  bucket: files\n"),
            (
                "config/environments/production.rb",
                "Rails.application.configure do\n  config.action_mailer.delivery_method = :smtp\n  config.cache_store = :mem_cache_store\nend\n",
            ),
        ],
        expect: &[
            Expect::Externals(&["memcached", "postgres", "redis", "s3", "smtp"]),
            Expect::Connection("app", "postgres"),
            Expect::Connection("app", "smtp"),
        ],
    },
    Case {
        // requirements.txt names Django alone: the settings say which database, cache, mail and storage.
        name: "django-settings-name-the-backends-django-imports",
        files: &[
            ("requirements.txt", "django\n"),
            ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"),
            (
                "site/settings.py",
                "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"HOST\": \"db\"}}\nCACHES = {\"default\": {\"BACKEND\": \"django.core.cache.backends.redis.RedisCache\"}}\nEMAIL_BACKEND = \"django.core.mail.backends.smtp.EmailBackend\"\nSTORAGES = {\"default\": {\"BACKEND\": \"storages.backends.s3.S3Storage\"}}\n",
            ),
            (
                "site/wsgi.py",
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
            ),
        ],
        expect: &[Expect::Externals(&["postgres", "redis", "s3", "smtp"])],
    },
    Case {
        name: "a-render-blueprint-deploys-its-services-and-wires-their-env",
        files: &[
            (
                "render.yaml",
                "services:\n  - type: web\n    name: shop-api\n    runtime: python\n    rootDir: api\n    startCommand: gunicorn app:app\n    envVars:\n      - key: DATABASE_URL\n        fromDatabase:\n          name: shopdb\n          property: connectionString\n      - key: CACHE_URL\n        fromService:\n          type: redis\n          name: cache\n          property: connectionString\n      - key: SECRET_KEY\n        generateValue: true\n  - type: worker\n    name: mailer\n    runtime: docker\n    dockerfilePath: ./mailer/Dockerfile\n    dockerContext: ./mailer\n    envVars:\n      - key: API_HOST\n        fromService:\n          type: web\n          name: shop-api\n          property: host\n  - type: redis\n    name: cache\n    ipAllowList: []\ndatabases:\n  - name: shopdb\n",
            ),
            ("api/requirements.txt", "flask\ngunicorn\n"),
            (
                "api/app.py",
                "import os\nfrom flask import Flask\napp = Flask(__name__)\ndb = os.environ[\"DATABASE_URL\"]\nkey = os.environ[\"SECRET_KEY\"]\n",
            ),
            ("mailer/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"main.py\"]\n"),
            ("mailer/main.py", "import os\nhost = os.environ[\"API_HOST\"]\n"),
        ],
        expect: &[
            Expect::Services(&[("mailer", "mailer"), ("shop-api", "api")]),
            Expect::Externals(&["postgres", "redis"]),
            Expect::Connection("shop-api", "postgres"),
            Expect::Connection("shop-api", "redis"),
            Expect::Connection("mailer", "shop-api"),
            Expect::EnvStatus("SECRET_KEY", "defined"),
            Expect::EnvStatus("API_HOST", "defined"),
        ],
    },
    Case {
        name: "fly-and-app-engine-manifests-deploy-the-code-beside-them",
        files: &[
            (
                "web/fly.toml",
                "app = \"storefront\"\nprimary_region = \"ams\"\n\n[build]\n  dockerfile = \"Dockerfile\"\n\n[env]\n  CATALOG_URL = \"http://catalog.internal:8080\"\n\n[http_service]\n  internal_port = 3000\n",
            ),
            ("web/Dockerfile", "FROM node:20\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"),
            ("web/package.json", "{\"name\": \"web\", \"dependencies\": {\"express\": \"4\"}}\n"),
            (
                "web/server.js",
                "const express = require('express');\nconst app = express();\nfetch(process.env.CATALOG_URL);\napp.listen(process.env.PORT);\n",
            ),
            (
                "catalog/app.yaml",
                "runtime: python312\nservice: catalog\nentrypoint: gunicorn -b :$PORT main:app\nenv_variables:\n  BUCKET: images\n",
            ),
            ("catalog/requirements.txt", "flask\n"),
            (
                "catalog/main.py",
                "import os\nfrom flask import Flask\napp = Flask(__name__)\nbucket = os.environ[\"BUCKET\"]\n",
            ),
            ("k8s/app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n"),
        ],
        expect: &[
            Expect::Services(&[("catalog", "catalog"), ("storefront", "web")]),
            // Fly.io's private network: `<app>.internal`.
            Expect::Connection("storefront", "catalog"),
            Expect::Ports("storefront", &[3000]),
            Expect::EnvStatus("BUCKET", "defined"),
            Expect::EnvStatus("CATALOG_URL", "defined"),
        ],
    },
    Case {
        // composer.json names only Laravel: the env values pick its drivers.
        name: "laravel-driver-variables-name-the-systems-their-values-pick",
        files: &[
            (
                "composer.json",
                "{\"name\": \"acme/shop\", \"require\": {\"php\": \"^8.2\", \"laravel/framework\": \"^11.0\"}}\n",
            ),
            ("artisan", "#!/usr/bin/env php\n<?php\nrequire __DIR__.'/vendor/autoload.php';\n"),
            (
                "public/index.php",
                "<?php\n$app = require_once __DIR__.'/../bootstrap/app.php';\n$app->handleRequest(Illuminate\\Http\\Request::capture());\n",
            ),
            ("config/database.php", "<?php\nreturn [\n    'default' => env('DB_CONNECTION', 'sqlite'),\n];\n"),
            ("config/mail.php", "<?php\nreturn [\n    'default' => env('MAIL_MAILER', 'log'),\n];\n"),
            ("config/queue.php", "<?php\nreturn [\n    'default' => env('QUEUE_CONNECTION', 'redis'),\n];\n"),
            (".env.example", "APP_NAME=Shop\nDB_CONNECTION=pgsql\nMAIL_MAILER=smtp\n"),
        ],
        expect: &[
            Expect::Externals(&["postgres", "redis", "smtp"]),
            Expect::Connection("shop", "postgres"),
            Expect::NoConnection("shop", "sqlite"),
        ],
    },
    Case {
        name: "a-serverless-service-runs-the-functions-beside-it-with-what-it-provisions",
        files: &[
            (
                "api/serverless.yml",
                "service: orders\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE_NAME: orders-table\nfunctions:\n  create:\n    handler: handler.create\n    events:\n      - httpApi: POST /orders\n      - sqs:\n          arn: arn:aws:sqs:eu-west-1:1:jobs\nresources:\n  Resources:\n    OrdersTable:\n      Type: AWS::DynamoDB::Table\n",
            ),
            ("api/package.json", "{\"name\": \"orders-api\", \"main\": \"handler.js\"}\n"),
            ("api/handler.js", "exports.create = async () => ({ table: process.env.TABLE_NAME });\n"),
        ],
        expect: &[
            Expect::Services(&[("orders", "api")]),
            Expect::Externals(&["dynamodb", "sqs"]),
            Expect::EnvStatus("TABLE_NAME", "defined"),
        ],
    },
    Case {
        // The Procfile's web process is the command compose's image runs: one service.
        name: "a-procfile-process-running-the-images-command-is-the-compose-service",
        files: &[
            (
                "docker-compose.yml",
                "services:\n  app:\n    build:\n      context: .\n      dockerfile: ./Dockerfile\n    ports: [\"8000:8000\"]\n",
            ),
            ("Dockerfile", "FROM python:3.12\nCOPY . /code\nCMD [\"uwsgi\", \"/code/etc/uwsgi.ini\"]\n"),
            ("Procfile", "web: uwsgi ./etc/uwsgi.ini\nworker: celery -A shop worker\n"),
            ("requirements.txt", "django\ncelery\nuwsgi\n"),
            ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"),
        ],
        expect: &[Expect::Services(&[("app", ""), ("worker", "")])],
    },
    Case {
        // The final image copies only the Go stage's binary; the Go stage took the front end's assets.
        // A test stack running the same image at another tag runs the same program.
        name: "an-image-runs-the-program-of-the-builder-stage-whose-output-it-copies",
        files: &[
            (
                "docker-compose.yml",
                "services:\n  shop:\n    build:\n      context: .\n      dockerfile: Dockerfile\n    image: acme/shop:latest\n    ports: [\"8080:8080\"]\n",
            ),
            (
                "compose-e2e.yml",
                "services:\n  shop-e2e:\n    image: acme/shop:dev\n    environment:\n      - SHOP_MODE=test\n",
            ),
            (
                "Dockerfile",
                "FROM node:22 AS build-frontend\nCOPY ./web/package.json /src/web/\nCOPY ./web/ /src/web/\nRUN npm run build\n\nFROM golang:1.23 AS build-backend\nADD server /build/server\nCOPY --from=build-frontend /src/web/dist/ /build/server/static/\nRUN go build -o /shop ./server\n\nFROM alpine:3.20\nCOPY --from=build-backend /shop /srv/shop\nCMD [\"/srv/shop\"]\n",
            ),
            (
                "web/package.json",
                "{\"name\": \"web\", \"scripts\": {\"build\": \"webpack\"}, \"devDependencies\": {\"webpack\": \"5\"}}\n",
            ),
            ("web/index.js", "document.title = 'shop';\n"),
            ("server/go.mod", GO_MOD),
            ("server/main.go", GO_MAIN),
        ],
        expect: &[Expect::Services(&[("shop", "server")])],
    },
    Case {
        name: "a-procfile-of-background-processes-leaves-the-web-app-a-service",
        files: &[
            (
                "Procfile",
                "clock: bundle exec clockwork lib/clock.rb\njobs: bundle exec sidekiq -C config/sidekiq.yml\ncss: bin/rails tailwindcss:watch\n",
            ),
            ("Gemfile", "source 'https://rubygems.org'\ngem 'rails'\ngem 'sidekiq'\ngem 'clockwork'\ngem 'pg'\n"),
            ("config.ru", "require_relative 'config/environment'\nrun Rails.application\n"),
            (
                "lib/clock.rb",
                "require 'clockwork'\nmodule Clockwork\n  every(1.hour, 'refresh') { RefreshJob.perform_async }\nend\n",
            ),
        ],
        expect: &[Expect::Services(&[("app", ""), ("clock", ""), ("jobs", "")])],
    },
    Case {
        name: "an-aspire-app-host-runs-projects-and-wires-them",
        files: &[
            (
                "src/Shop.AppHost/Shop.AppHost.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\"><Sdk Name=\"Aspire.AppHost.Sdk\" Version=\"9.0.0\" /><PropertyGroup><IsAspireHost>true</IsAspireHost></PropertyGroup></Project>\n",
            ),
            (
                "src/Shop.AppHost/Program.cs",
                "var builder = DistributedApplication.CreateBuilder(args);\nvar cache = builder.AddRedis(\"cache\");\nvar pg = builder.AddPostgres(\"pg\");\nvar catalogDb = pg.AddDatabase(\"catalogdb\");\nvar catalog = builder.AddProject<Projects.Catalog_API>(\"catalog-api\")\n    .WithReference(catalogDb);\nbuilder.AddProject<Projects.Web_Store>(\"store\")\n    .WithReference(cache)\n    .WithEnvironment(\"CatalogUrl\", catalog.GetEndpoint(\"http\"));\nbuilder.Build().Run();\n",
            ),
            ("src/Catalog.API/Catalog.API.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n"),
            (
                "src/Catalog.API/Program.cs",
                "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n",
            ),
            ("src/Web.Store/Web.Store.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n"),
            (
                "src/Web.Store/Program.cs",
                "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("catalog-api", "src/Catalog.API"), ("store", "src/Web.Store")]),
            Expect::Externals(&["postgres", "redis"]),
            Expect::Connection("catalog-api", "postgres"),
            Expect::Connection("store", "redis"),
            Expect::Connection("store", "catalog-api"),
            Expect::EnvDefined("CatalogUrl"),
        ],
    },
    Case {
        name: "spring-cloud-discovery-feign-and-served-configuration",
        files: &[
            (
                "registry/pom.xml",
                "<project><artifactId>registry</artifactId><dependencies><dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-starter-netflix-eureka-server</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "registry/src/main/java/r/Registry.java",
                "package r;\n@SpringBootApplication\npublic class Registry {\n    public static void main(String[] args) {}\n}\n",
            ),
            ("registry/src/main/resources/bootstrap.yml", "spring:\n  application:\n    name: registry\n"),
            (
                "stats/pom.xml",
                "<project><artifactId>stats</artifactId><dependencies><dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-starter-config</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "stats/src/main/java/s/Stats.java",
                "package s;\n@SpringBootApplication\npublic class Stats {\n    public static void main(String[] args) {}\n}\n",
            ),
            ("stats/src/main/resources/bootstrap.yml", "spring:\n  application:\n    name: statistics-service\n"),
            (
                "accounts/pom.xml",
                "<project><artifactId>accounts</artifactId><dependencies><dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-starter-config</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "accounts/src/main/java/a/App.java",
                "package a;\n@SpringBootApplication\npublic class App {\n    public static void main(String[] args) {}\n}\n",
            ),
            (
                "accounts/src/main/java/a/StatsClient.java",
                "package a;\n\n@FeignClient(name = \"statistics-service\")\npublic interface StatsClient {\n}\n",
            ),
            ("accounts/src/main/resources/bootstrap.yml", "spring:\n  application:\n    name: account-service\n"),
            (
                "config/pom.xml",
                "<project><artifactId>config</artifactId><dependencies><dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-config-server</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "config/src/main/java/c/Config.java",
                "package c;\n@SpringBootApplication\npublic class Config {\n    public static void main(String[] args) {}\n}\n",
            ),
            ("config/src/main/resources/application.yml", "server:\n  port: 8888\n"),
            (
                "config/src/main/resources/shared/application.yml",
                "eureka:\n  client:\n    serviceUrl:\n      defaultZone: http://registry:8761/eureka/\n",
            ),
            (
                "gateway/pom.xml",
                "<project><artifactId>gateway</artifactId><dependencies><dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-starter-config</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "gateway/src/main/java/g/Gateway.java",
                "package g;\n@SpringBootApplication\npublic class Gateway {\n    public static void main(String[] args) {}\n}\n",
            ),
            ("gateway/src/main/resources/bootstrap.yml", "spring:\n  application:\n    name: gateway\n"),
            (
                "config/src/main/resources/shared/gateway.yml",
                "zuul:\n  routes:\n    account-service:\n      path: /accounts/**\n      serviceId: account-service\n",
            ),
        ],
        expect: &[
            Expect::Connection("gateway", "accounts"),
            Expect::Connection("accounts", "stats"),
            Expect::Connection("accounts", "registry"),
            Expect::Connection("stats", "registry"),
            Expect::NoConnection("config", "registry"),
        ],
    },
    Case {
        name: "a-helm-chart-read-without-helm",
        files: &[
            ("api/Dockerfile", "FROM python:3.12\nCOPY . /app\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "api/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nREDIS = os.environ[\"REDIS_URL\"]\n",
            ),
            ("deploy/chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n"),
            (
                "deploy/chart/values.yaml",
                "image:\n  repository: acme/shop-api\n  tag: \"1.0\"\nredis:\n  url: redis://cache:6379\n",
            ),
            (
                "deploy/chart/templates/api.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-api\n  labels:\n    app: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n          env:\n            {{- if .Values.redis.url }}\n            - name: REDIS_URL\n              value: {{ .Values.redis.url | quote }}\n            {{- end }}\n          ports:\n            - containerPort: 8000\n",
            ),
            ("deploy/chart/templates/_helpers.tpl", "{{- define \"shop.name\" -}}shop{{- end }}\n"),
        ],
        expect: &[
            Expect::Services(&[("release-api", "api")]),
            Expect::Externals(&["redis"]),
            Expect::Connection("release-api", "redis"),
            Expect::EnvDefined("REDIS_URL"),
            Expect::Ports("release-api", &[8000]),
        ],
    },
    Case {
        name: "a-service-selecting-a-canary-too-means-the-workload-it-is-named-after",
        files: &[
            ("payment/Dockerfile", "FROM golang:1.22\nCOPY . /src\n"),
            ("payment/go.mod", GO_MOD),
            ("payment/main.go", GO_MAIN),
            ("web/Dockerfile", "FROM node:20\nCOPY . /app\n"),
            ("web/package.json", EXPRESS_PACKAGE),
            ("web/server.js", EXPRESS_SERVER),
            (
                "compose.yaml",
                "services:\n  payment:\n    build: ./payment\n    image: acme/payment\n  web:\n    build: ./web\n    image: acme/web\n",
            ),
            (
                "k8s/payment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payment\nspec:\n  template:\n    metadata:\n      labels:\n        service: payment\n    spec:\n      containers:\n        - name: payment\n          image: acme/payment:1\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payment-canary\nspec:\n  template:\n    metadata:\n      labels:\n        service: payment\n        stage: test\n    spec:\n      containers:\n        - name: payment\n          image: acme/payment-canary:1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: payment-svc\nspec:\n  selector:\n    service: payment\n",
            ),
            (
                "k8s/web.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: acme/web:1\n          env:\n            - name: PAYMENT_URL\n              value: http://payment-svc:8080\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("payment", "payment"), ("web", "web")]),
            Expect::Externals(&[]),
            Expect::Connection("web", "payment"),
        ],
    },
    Case {
        name: "a-service-over-two-versions-means-the-one-it-is-named-after",
        files: &[
            ("payment/Dockerfile", "FROM golang:1.22\nCOPY . /src\n"),
            ("payment/go.mod", GO_MOD),
            ("payment/main.go", GO_MAIN),
            ("payment-v2/Dockerfile", "FROM golang:1.22\nCOPY . /src\n"),
            ("payment-v2/go.mod", GO_MOD),
            ("payment-v2/main.go", GO_MAIN),
            ("web/Dockerfile", "FROM node:20\nCOPY . /app\n"),
            ("web/package.json", EXPRESS_PACKAGE),
            ("web/server.js", EXPRESS_SERVER),
            (
                "k8s/payment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payment\nspec:\n  template:\n    metadata:\n      labels:\n        app: payment\n    spec:\n      containers:\n        - name: payment\n          image: acme/payment:1\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payment-v2\nspec:\n  template:\n    metadata:\n      labels:\n        app: payment\n    spec:\n      containers:\n        - name: payment\n          image: acme/payment-v2:1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: payment\nspec:\n  selector:\n    app: payment\n",
            ),
            (
                "k8s/web.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: acme/web:1\n          env:\n            - name: PAYMENT_URL\n              value: http://payment.default.svc.cluster.local:8080\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("payment", "payment"), ("payment-v2", "payment-v2"), ("web", "web")]),
            Expect::Connection("web", "payment"),
            Expect::NoConnection("web", "payment-v2"),
        ],
    },
    Case {
        name: "a-framework-listens-on-its-default-port-when-nothing-says-otherwise",
        files: &[
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
            ("admin/requirements.txt", FASTAPI_REQUIREMENTS),
            ("admin/main.py", FASTAPI_MAIN),
            ("admin/Dockerfile", "FROM python:3.12\nCOPY . /app\nEXPOSE 9000\n"),
        ],
        expect: &[Expect::Ports("api", &[8000]), Expect::Ports("admin", &[9000])],
    },
    Case {
        name: "spring-binds-the-relaxed-form-of-its-keys-and-its-own-properties",
        files: &[
            (
                "compose.yaml",
                "services:\n  orders:\n    build: ./orders\n    environment:\n      RETAIL_DB_URL: jdbc:postgresql://db/orders\n      RETAIL_DB_TABLE_NAME: orders\n      SPRING_DATASOURCE_USERNAME: app\n      UNRELATED_FLAG: \"1\"\n",
            ),
            ("orders/Dockerfile", "FROM eclipse-temurin:21\nCOPY . /app\n"),
            (
                "orders/pom.xml",
                "<project><artifactId>orders</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
            ),
            (
                "orders/src/main/java/a/App.java",
                "package a;\n@SpringBootApplication\npublic class App {\n    public static void main(String[] args) {}\n}\n",
            ),
            (
                "orders/src/main/java/a/DbProperties.java",
                "package a;\n@ConfigurationProperties(prefix = \"retail.db\")\npublic class DbProperties {\n    private String url;\n    private String tableName;\n}\n",
            ),
        ],
        expect: &[
            Expect::EnvReaders("RETAIL_DB_URL", &["orders"]),
            Expect::EnvReaders("RETAIL_DB_TABLE_NAME", &["orders"]),
            Expect::EnvReaders("SPRING_DATASOURCE_USERNAME", &["orders"]),
            Expect::EnvReaders("UNRELATED_FLAG", &[]),
        ],
    },
    Case {
        name: "aspnet-configuration-reads-keys-from-double-underscore-variables",
        files: &[
            (
                "compose.yaml",
                "services:\n  basket:\n    build: ./Basket.API\n    environment:\n      Identity__Url: http://identity\n      ConnectionStrings__redis: redis:6379\n      Unrelated__Key: x\n",
            ),
            ("Basket.API/Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY . /app\n"),
            ("Basket.API/Basket.API.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n"),
            (
                "Basket.API/Program.cs",
                "var builder = WebApplication.CreateBuilder(args);\nvar identity = builder.Configuration[\"Identity:Url\"];\nvar redis = builder.Configuration.GetConnectionString(\"redis\");\nvar app = builder.Build();\napp.Run();\n",
            ),
        ],
        expect: &[
            Expect::EnvReaders("Identity__Url", &["basket"]),
            Expect::EnvReaders("ConnectionStrings__redis", &["basket"]),
            Expect::EnvReaders("Unrelated__Key", &[]),
        ],
    },
    Case {
        name: "viper-reads-its-keys-under-the-env-prefix",
        files: &[
            (".env.example", "ND_MUSICFOLDER=/music\nND_UNKNOWN=1\n"),
            ("go.mod", GO_MOD),
            (
                "cmd/server/main.go",
                "package main\n\nimport (\n\t\"net/http\"\n\t\"github.com/spf13/viper\"\n)\n\nfunc main() {\n\tviper.SetEnvPrefix(\"ND\")\n\tviper.AutomaticEnv()\n\tviper.SetDefault(\"musicfolder\", \"./music\")\n\thttp.ListenAndServe(\":4533\", nil)\n}\n",
            ),
        ],
        expect: &[Expect::EnvReaders("ND_MUSICFOLDER", &["server"]), Expect::EnvReaders("ND_UNKNOWN", &[])],
    },
    Case {
        name: "calls-of-a-projects-own-env-wrapper-are-reads",
        files: &[
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", "from fastapi import FastAPI\nfrom .settings import DEBUG\n\napp = FastAPI()\n"),
            (
                "api/util/env.py",
                "import os\n\ndef envbool(name, default=\"False\"):\n    return os.getenv(name, default) == \"True\"\n",
            ),
            (
                "api/settings.py",
                "from .util.env import envbool\n\nDEBUG = envbool(\"DEBUG\")\nSIGNUP_OPEN = envbool(\"SIGNUP_OPEN\", \"True\")\nLABEL = str(\"NOT_A_READ\")\n",
            ),
        ],
        expect: &[
            Expect::EnvReaders("DEBUG", &["api"]),
            Expect::EnvReaders("SIGNUP_OPEN", &["api"]),
            Expect::NoEnv("NOT_A_READ"),
        ],
    },
    Case {
        name: "platform-names-and-reads-outside-production-are-kept-apart",
        files: &[
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "api/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nDATABASE_URL = os.getenv(\"DATABASE_URL\")\nIN_CI = os.getenv(\"CI\")\n",
            ),
            ("tools/seed/seed.py", "import os\n\nISSUER = os.environ[\"SEED_ISSUER\"]\n"),
        ],
        expect: &[
            Expect::EnvReaders("DATABASE_URL", &["api"]),
            Expect::EnvPlatform("CI"),
            Expect::EnvOnlyElsewhere("SEED_ISSUER"),
        ],
    },
    Case {
        name: "a-read-with-a-default-is-optional-not-missing",
        files: &[
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "api/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nLOG_LEVEL = os.getenv(\"LOG_LEVEL\", \"info\")\nSECRET = os.environ[\"SECRET_KEY\"]\nTIMEOUT = os.environ.get(\"TIMEOUT\", \"5\")\nTIMEOUT_AGAIN = os.environ[\"TIMEOUT\"]\n",
            ),
            ("web/package.json", EXPRESS_PACKAGE),
            (
                "web/server.js",
                "const express = require('express');\nconst app = express();\napp.listen(process.env.WEB_PORT || 3000);\n",
            ),
            (
                "orders/src/main/resources/application.yml",
                "server:\n  port: ${ORDERS_PORT:8080}\nspring:\n  datasource:\n    url: ${ORDERS_DB_URL}\n",
            ),
        ],
        expect: &[
            Expect::EnvStatus("LOG_LEVEL", "optional"),
            Expect::EnvStatus("SECRET_KEY", "missing"),
            Expect::EnvStatus("TIMEOUT", "missing"),
            Expect::EnvStatus("WEB_PORT", "optional"),
            Expect::EnvStatus("ORDERS_PORT", "optional"),
            Expect::EnvStatus("ORDERS_DB_URL", "missing"),
        ],
    },
    Case {
        name: "a-dockerfile-beside-build-helpers-builds-the-context-program",
        files: &[
            ("requirements.txt", FASTAPI_REQUIREMENTS),
            ("main.py", FASTAPI_MAIN),
            ("docker/Dockerfile", "FROM python:3.12\nCOPY . /app\nCMD [\"uvicorn\", \"main:app\"]\n"),
            ("docker/healthcheck.py", "import urllib.request\nurllib.request.urlopen(\"http://localhost:8000/\")\n"),
            (
                "docker/compose.yml",
                "services:\n  web:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n    ports: [\"8000:8000\"]\n",
            ),
        ],
        expect: &[Expect::Services(&[("web", "")])],
    },
    Case {
        name: "a-root-context-build-of-a-go-command-builds-the-command",
        files: &[
            ("go.mod", GO_MOD),
            ("cmd/api/main.go", GO_MAIN),
            ("cmd/api/Dockerfile", "FROM golang:1.22\nCOPY . /src\nRUN go build ./cmd/api\n"),
            ("compose.yaml", "services:\n  api:\n    build:\n      context: .\n      dockerfile: cmd/api/Dockerfile\n"),
        ],
        expect: &[Expect::Services(&[("api", "cmd/api")])],
    },
    Case {
        name: "a-fallback-address-in-code-is-where-the-code-points",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./web\n  cart:\n    build: ./cart\n  catalogue:\n    build: ./catalogue\n",
            ),
            ("web/package.json", EXPRESS_PACKAGE),
            (
                "web/server.js",
                "const express = require('express');\nconst app = express();\nconst cartHost = process.env.CART_HOST || 'cart';\nconst secret = process.env.SESSION_SECRET || 'not-an-address-but-a-long-secret-1234567890';\napp.listen(3000);\n",
            ),
            ("cart/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "cart/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nCATALOGUE = os.getenv(\"CATALOGUE_URL\", \"http://catalogue:8080\")\n",
            ),
            ("catalogue/requirements.txt", FASTAPI_REQUIREMENTS),
            ("catalogue/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Connection("web", "cart"),
            Expect::Connection("cart", "catalogue"),
            Expect::EnvStatus("CART_HOST", "optional"),
        ],
    },
    Case {
        name: "dapr-building-blocks-reach-the-systems-their-components-name",
        files: &[
            (
                "compose.yaml",
                "services:\n  orders:\n    build: ./Orders.API\n  rabbitmq:\n    image: rabbitmq:3-management\n  redis:\n    image: redis:7\n",
            ),
            ("Orders.API/Orders.API.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n"),
            (
                "Orders.API/Program.cs",
                "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\nawait dapr.PublishEventAsync(PubSubName, \"order-created\", order);\nvar cached = await daprClient.GetStateAsync<Order>(StoreName, id);\napp.Run();\n",
            ),
            (
                "dapr/components/pubsub.yaml",
                "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: pubsub\nspec:\n  type: pubsub.rabbitmq\n  version: v1\n  metadata:\n  - name: host\n    value: amqp://rabbitmq:5672\n",
            ),
            (
                "dapr/components/statestore.yaml",
                "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.redis\n  version: v1\n  metadata:\n  - name: redisHost\n    value: redis:6379\nscopes:\n- basket\n",
            ),
        ],
        expect: &[Expect::Connection("orders", "rabbitmq"), Expect::NoConnection("orders", "redis")],
    },
    Case {
        name: "a-gradle-version-catalog-names-what-a-build-depends-on",
        files: &[
            (
                "gradle/libs.versions.toml",
                "[versions]\nktor = \"3.0.0\"\n[libraries]\nktor-server-netty = { module = \"io.ktor:ktor-server-netty\", version.ref = \"ktor\" }\npostgresql = \"org.postgresql:postgresql:42.7.3\"\n[plugins]\nktor = { id = \"io.ktor.plugin\", version.ref = \"ktor\" }\n",
            ),
            ("settings.gradle.kts", "include(\":backend\")\n"),
            (
                "backend/build.gradle.kts",
                "plugins {\n    alias(libs.plugins.ktor)\n}\ndependencies {\n    implementation(libs.ktor.server.netty)\n    implementation(libs.postgresql)\n}\n",
            ),
            (
                "backend/src/main/kotlin/Main.kt",
                "fun main() {\n    embeddedServer(Netty, port = 8080) {}.start(wait = true)\n}\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("backend", "backend")]),
            Expect::Externals(&["postgres"]),
            Expect::Connection("backend", "postgres"),
        ],
    },
    Case {
        name: "hocon-substitutions-read-the-environment",
        files: &[
            ("build.sbt", "libraryDependencies += \"org.http4s\" %% \"http4s-ember-server\" % \"0.23.27\"\n"),
            ("src/main/scala/Main.scala", "object Main extends IOApp.Simple {\n  val run = Server.serve\n}\n"),
            (
                "src/main/resources/application.conf",
                "http {\n  port = 8080\n  port = ${?HTTP_PORT}\n}\ndb.url = ${DATABASE_URL}\n",
            ),
            ("Dockerfile", "FROM eclipse-temurin:21\nCOPY . .\nCMD [\"bin/app\"]\n"),
        ],
        expect: &[
            Expect::EnvStatus("HTTP_PORT", "optional"),
            Expect::EnvStatus("DATABASE_URL", "missing"),
            Expect::Ports("app", &[8080]),
        ],
    },
    Case {
        name: "sbt-meta-build-is-not-a-second-program",
        files: &[
            (
                "build.sbt",
                "libraryDependencies ++= Seq(\n  \"org.scalatra\" %% \"scalatra-javax\" % \"3.1.0\",\n  \"org.scalatest\" %% \"scalatest\" % \"3.2.18\" % \"test\"\n)\n",
            ),
            ("src/main/scala/ScalatraBootstrap.scala", "class ScalatraBootstrap extends LifeCycle {}\n"),
            (
                "src/main/java/Launcher.java",
                "public class Launcher {\n  public static void main(String[] args) throws Exception {\n    new Server(8080).start();\n  }\n}\n",
            ),
            // sbt's meta-build: the build of the build, with its own build.sbt and Scala code.
            ("project/build.sbt", "libraryDependencies += \"org.scalameta\" %% \"scalafmt-dynamic\" % \"3.8.0\"\n"),
            ("project/plugins.sbt", "addSbtPlugin(\"com.github.sbt\" % \"sbt-native-packager\" % \"1.10.0\")\n"),
            ("project/Checksums.scala", "object Checksums {\n  def main(args: Array[String]): Unit = ()\n}\n"),
        ],
        expect: &[Expect::Services(&[("app", "")])],
    },
    Case {
        name: "a-reverse-proxy-connects-to-where-it-forwards",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./web\n    ports: [\"80:80\"]\n    volumes:\n      - ./deploy/upstreams.conf:/etc/nginx/conf.d/upstreams.conf:ro\n  api:\n    build: ./api\n  cart:\n    build: ./cart\n  gateway:\n    build: ./gateway\n  edge:\n    build: ./edge\n",
            ),
            ("web/Dockerfile", "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n"),
            (
                "web/nginx.conf",
                "server {\n  listen 80;\n  location /api/ {\n    proxy_pass http://api:8000/;\n  }\n}\n",
            ),
            (
                "deploy/upstreams.conf",
                "upstream carts {\n  server cart:7070;\n}\nserver {\n  location /cart { proxy_pass http://carts; }\n}\n",
            ),
            ("api/requirements.txt", "fastapi\n"),
            ("api/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ("api/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"uvicorn\", \"main:app\", \"--port\", \"8000\"]\n"),
            ("cart/requirements.txt", "fastapi\n"),
            ("cart/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ("cart/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"uvicorn\", \"main:app\", \"--port\", \"7070\"]\n"),
            ("gateway/Dockerfile", "FROM envoyproxy/envoy:v1.31-latest\nCOPY envoy.yaml /etc/envoy/envoy.yaml\n"),
            (
                "gateway/envoy.yaml",
                "static_resources:\n  listeners:\n  - address:\n      socket_address: {address: 0.0.0.0, port_value: 80}\n  clusters:\n  - name: api\n    load_assignment:\n      cluster_name: api\n      endpoints:\n      - lb_endpoints:\n        - endpoint:\n            address:\n              socket_address:\n                address: api\n                port_value: 8000\n",
            ),
            ("edge/Dockerfile", "FROM caddy:2\nCOPY Caddyfile /etc/caddy/Caddyfile\n"),
            ("edge/Caddyfile", ":80 {\n  reverse_proxy /cart/* cart:7070\n}\n"),
        ],
        expect: &[
            Expect::Connection("web", "api"),
            Expect::Connection("web", "cart"),
            Expect::Connection("gateway", "api"),
            Expect::Connection("edge", "cart"),
            Expect::NoConnection("api", "cart"),
        ],
    },
    Case {
        name: "a-root-context-build-of-a-config-only-image-builds-its-own-directory",
        files: &[
            (
                "compose.yaml",
                "services:\n  frontend-proxy:\n    build:\n      context: ./\n      dockerfile: src/frontend-proxy/Dockerfile\n  kafka:\n    build:\n      context: ./\n      dockerfile: src/kafka/Dockerfile\n  api:\n    build:\n      context: ./\n      dockerfile: src/api/Dockerfile\n",
            ),
            (
                "src/frontend-proxy/Dockerfile",
                "FROM envoyproxy/envoy:v1.31-latest\nCOPY ./src/frontend-proxy/envoy.yaml /etc/envoy/envoy.yaml\n",
            ),
            (
                "src/frontend-proxy/envoy.yaml",
                "static_resources:\n  clusters:\n  - name: api\n    load_assignment:\n      endpoints:\n      - lb_endpoints:\n        - endpoint:\n            address:\n              socket_address:\n                address: api\n                port_value: 8080\n",
            ),
            ("src/kafka/Dockerfile", "FROM apache/kafka:3.9.0\nADD https://example.com/agent.jar /tmp/agent.jar\n"),
            ("src/api/go.mod", "module example.com/api\n"),
            ("src/api/main.go", "package main\n\nfunc main() {}\n"),
            ("src/api/Dockerfile", "FROM golang:1.23\nCOPY ./src/api/ /src\nRUN go build -o /app /src\n"),
            ("package.json", "{\"name\": \"demo\", \"devDependencies\": {\"prettier\": \"3\"}}\n"),
            // A code generator's image: it copies the api's files, so it is not the root project's.
            ("tools/genproto/Dockerfile", "FROM golang:1.23\nCOPY ./src/api/proto proto\nRUN protoc proto/*.proto\n"),
        ],
        expect: &[
            Expect::Services(&[("api", "src/api"), ("frontend-proxy", "src/frontend-proxy")]),
            Expect::Externals(&["kafka"]),
            Expect::Connection("frontend-proxy", "api"),
        ],
    },
    Case {
        name: "a-template-rendered-by-envsubst-reads-its-variables",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./web\n    environment:\n      API_HOST: api\n      API_PORT: \"8000\"\n  api:\n    build: ./api\n",
            ),
            (
                "web/Dockerfile",
                "FROM nginx:1.27\nCOPY default.conf.template /etc/nginx/templates/\nCMD [\"/bin/sh\", \"-c\", \"envsubst '$LOG_LEVEL' < /log.conf.tmpl > /etc/log.conf && nginx\"]\n",
            ),
            (
                "web/default.conf.template",
                "server {\n  listen 80;\n  location /api/ {\n    proxy_set_header Host $host;\n    proxy_pass http://${API_HOST}:${API_PORT}/;\n  }\n}\n",
            ),
            // Not rendered by anything: its placeholders are nobody's reads.
            ("web/unused.conf", "server {\n  location / { proxy_pass http://${UNRENDERED_HOST}/; }\n}\n"),
            ("api/requirements.txt", "fastapi\n"),
            ("api/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ("api/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"uvicorn\", \"main:app\", \"--port\", \"8000\"]\n"),
        ],
        expect: &[
            Expect::EnvReaders("API_HOST", &["web"]),
            Expect::EnvReaders("API_PORT", &["web"]),
            Expect::EnvStatus("LOG_LEVEL", "missing"),
            Expect::NoEnv("UNRENDERED_HOST"),
            Expect::Connection("web", "api"),
        ],
    },
    Case {
        name: "a-dockerfile-in-a-helper-directory-that-copies-the-context-builds-the-context",
        files: &[
            (
                "docker-compose.yml",
                "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n",
            ),
            (
                "docker/Dockerfile",
                "FROM python:3.12\nCOPY . /app/\nCOPY docker/uwsgi.ini /app/\nCMD [\"uwsgi\", \"/app/uwsgi.ini\"]\n",
            ),
            ("docker/uwsgi.ini", "[uwsgi]\nmodule = app.wsgi\n"),
            ("requirements.txt", "django\n"),
            ("manage.py", "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"app.settings\")\n"),
        ],
        expect: &[Expect::Services(&[("web", "")])],
    },
    Case {
        name: "examples-tools-and-docs-are-not-services-unless-deployed",
        files: &[
            ("compose.yaml", "services:\n  api:\n    build: ./api\n  demo:\n    build: ./examples/demo\n"),
            (
                "api/package.json",
                "{\"name\": \"api\", \"scripts\": {\"start\": \"node index.js\"}, \"dependencies\": {\"express\": \"4\"}}\n",
            ),
            ("api/index.js", "const express = require('express');\nexpress().listen(3000);\n"),
            ("api/Dockerfile", "FROM node:20\nCOPY . .\nCMD [\"node\", \"index.js\"]\n"),
            (
                "examples/demo/package.json",
                "{\"name\": \"demo\", \"scripts\": {\"start\": \"node index.js\"}, \"dependencies\": {\"express\": \"4\"}}\n",
            ),
            ("examples/demo/index.js", "const express = require('express');\nexpress().listen(4000);\n"),
            (
                "examples/worker/package.json",
                "{\"name\": \"worker\", \"scripts\": {\"start\": \"node index.js\"}, \"dependencies\": {\"express\": \"4\"}}\n",
            ),
            ("examples/worker/index.js", "const express = require('express');\nexpress().listen(5000);\n"),
            (
                "docs/site/package.json",
                "{\"name\": \"site\", \"scripts\": {\"start\": \"docusaurus start\"}, \"dependencies\": {\"@docusaurus/core\": \"3\", \"react\": \"18\"}}\n",
            ),
        ],
        expect: &[Expect::Services(&[("api", "api"), ("demo", "examples/demo")])],
    },
    Case {
        name: "a-cmake-project-ships-its-programs-in-one-image",
        files: &[
            (
                "CMakeLists.txt",
                "project(relay C)\nfind_package(PostgreSQL)\nadd_subdirectory(src/apps/server)\nadd_subdirectory(src/apps/client)\n",
            ),
            (
                "src/apps/server/CMakeLists.txt",
                "pkg_check_modules(HIREDIS IMPORTED_TARGET hiredis)\nadd_executable(relayd main.c)\n",
            ),
            ("src/apps/server/main.c", "#include <stdlib.h>\nint main(void) { return getenv(\"RELAY_HOME\") == 0; }\n"),
            ("src/apps/client/CMakeLists.txt", "add_executable(relay-client main.c)\n"),
            ("src/apps/client/main.c", "int main(void) { return 0; }\n"),
            ("fuzzing/CMakeLists.txt", "add_executable(fuzz_parser fuzz.c)\n"),
            ("fuzzing/fuzz.c", "int main(void) { return 0; }\n"),
            ("fuzzing/Dockerfile", "FROM gcr.io/oss-fuzz-base/base-builder\nCOPY build.sh $SRC/\n"),
            // The image's build, kept apart; beside it a test harness's package.json.
            ("docker/relay/package.json", "{\"devDependencies\": {\"bats\": \"^1.8\"}}\n"),
            (
                "docker/relay/debian/Dockerfile",
                "FROM debian:12 AS build\nCOPY CMakeLists.txt /app/\nCOPY src/ /app/src/\nCOPY docker/relay/rootfs/ /out/\nRUN cmake -B b /app && cmake --build b\nFROM debian:12-slim\nCOPY --from=build /out/ /\nEXPOSE 3478\nCMD [\"relayd\"]\n",
            ),
            ("docker/relay/rootfs/entrypoint.sh", "#!/bin/sh\nexec relayd\n"),
        ],
        expect: &[
            Expect::Services(&[("app", "")]),
            Expect::Ports("app", &[3478]),
            Expect::Externals(&["postgres", "redis"]),
            Expect::EnvReaders("RELAY_HOME", &["app"]),
        ],
    },
    Case {
        name: "an-image-built-outside-the-tree-runs-the-program-it-mounts",
        files: &[
            (
                "docker-compose.yml",
                "services:\n  laravel.test: &app\n    build:\n      context: ./vendor/laravel/sail/runtimes/8.4\n    ports: [\"80:80\"]\n    volumes:\n      - '.:/var/www/html'\n  laravel.cron:\n    <<: *app\n    command: 'php artisan schedule:run'\n",
            ),
            ("composer.json", "{\"name\": \"acme/crm\", \"require\": {\"laravel/framework\": \"^11.0\"}}\n"),
            ("artisan", "#!/usr/bin/env php\n<?php\n$app = require_once __DIR__.'/bootstrap/app.php';\n"),
            ("public/index.php", "<?php\n$app = require_once __DIR__.'/../bootstrap/app.php';\n"),
        ],
        expect: &[Expect::Services(&[("laravel.cron", ""), ("laravel.test", "")])],
    },
    Case {
        name: "an-image-that-wraps-a-third-party-system-is-that-system",
        files: &[
            ("shop/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "shop/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nDB = os.environ[\"DATABASE_URL\"]\nCACHE = os.environ[\"REDIS_URL\"]\n",
            ),
            ("shop/Dockerfile", "FROM python:3.12\nCOPY . /app\nCMD [\"uvicorn\", \"main:app\"]\n"),
            // Inside the program's tree, the database's image: the engine with
            // the schema baked in, taking nothing of the program's.
            ("shop/db/Dockerfile", "FROM postgres:16\nCOPY schema.sql /docker-entrypoint-initdb.d/\n"),
            ("shop/db/schema.sql", "CREATE TABLE accounts (id serial);\n"),
            // Outside any program, a cache's image with its config.
            ("cache/Dockerfile", "FROM redis:7\nCOPY redis.conf /usr/local/etc/redis/redis.conf\n"),
            ("cache/redis.conf", "maxmemory 64mb\n"),
            (
                "k8s/shop.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          image: registry.example.com/acme/shop:1.0\n          env:\n            - name: DATABASE_URL\n              value: postgresql://shop@db:5432/shop\n            - name: REDIS_URL\n              value: redis://cache:6379\n",
            ),
            (
                "k8s/db.yaml",
                "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n        - name: postgres\n          image: registry.example.com/acme/db:1.0\n",
            ),
            (
                "k8s/cache.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: registry.example.com/acme/cache:1.0\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("shop", "shop")]),
            Expect::Externals(&["postgres", "redis"]),
            Expect::Connection("shop", "postgres"),
            Expect::Connection("shop", "redis"),
        ],
    },
    Case {
        name: "an-image-holding-the-whole-context-runs-the-context-program",
        files: &[
            ("compose.yaml", "services:\n  server:\n    build: .\n    command: server\n    ports: [\"5000:5000\"]\n"),
            ("requirements.txt", "flask\n"),
            ("app.py", "from flask import Flask\n\napp = Flask(__name__)\n"),
            // A builder stage compiles the frontend package; the image holds the whole context.
            (
                "Dockerfile",
                "FROM node:20 AS frontend\nCOPY package.json /frontend/\nCOPY viz /frontend/viz\nRUN npm run build\nFROM python:3.12\nCOPY . /app\nCOPY --from=frontend /frontend/dist /app/dist\nCMD [\"flask\", \"run\"]\n",
            ),
            (
                "package.json",
                "{\"name\": \"site\", \"workspaces\": [\"viz\"], \"devDependencies\": {\"webpack\": \"5\"}}\n",
            ),
            (
                "viz/package.json",
                "{\"name\": \"@acme/viz\", \"main\": \"lib/index.js\", \"dependencies\": {\"react\": \"18\"}}\n",
            ),
            ("viz/src/index.js", "export const chart = () => null;\n"),
        ],
        expect: &[Expect::Services(&[("server", "")])],
    },
    Case {
        name: "a-service-named-again-in-another-compose-file-is-the-same-service",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n  worker:\n    build: .\n    command: celery -A app worker --loglevel debug\n",
            ),
            // The CI file runs the same build, its commands spelt otherwise.
            (
                "ci/compose.yaml",
                "services:\n  web:\n    build: ..\n    ports: [\"8000:8000\"]\n  worker:\n    build: ..\n    command: celery -A app worker\n  e2e:\n    image: cypress/included:13\n",
            ),
            ("requirements.txt", "fastapi\ncelery\n"),
            ("main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n"),
            ("Dockerfile", "FROM python:3.12\nCOPY . /app\nCMD [\"uvicorn\", \"main:app\"]\n"),
        ],
        expect: &[Expect::Services(&[("web", ""), ("worker", "")])],
    },
    Case {
        name: "the-env-record-under-another-name-is-read-through-it",
        files: &[
            ("package.json", EXPRESS_PACKAGE),
            ("server.js", EXPRESS_SERVER),
            (
                "src/utils/environment.ts",
                "export function withSecrets(env: Record<string, string | undefined>) {\n  return env;\n}\nexport default withSecrets(process.env);\n",
            ),
            (
                "src/env.ts",
                "import environment from \"./utils/environment\";\nimport { Colors } from \"./colors\";\nexport const smtp = environment.SMTP_HOST;\nexport const red = Colors.DARK_RED;\n",
            ),
            (
                "plugins/slack/env.ts",
                "import environment from \"@app/utils/environment\";\nexport const { SLACK_KEY } = environment;\n",
            ),
            ("src/local.ts", "const env = process.env;\nexport const port = env.METRICS_PORT;\n"),
            ("src/colors.ts", "export const Colors = { DARK_RED: \"#800\" };\n"),
        ],
        expect: &[
            Expect::EnvReaders("SMTP_HOST", &["web"]),
            Expect::EnvReaders("SLACK_KEY", &["web"]),
            Expect::EnvReaders("METRICS_PORT", &["web"]),
            Expect::NoEnv("DARK_RED"),
        ],
    },
    Case {
        name: "a-build-of-no-program-named-after-a-known-system-is-that-system",
        files: &[
            (
                "compose.yaml",
                "services:\n  api:\n    build: ./api\n    depends_on: [firestore]\n  firestore:\n    build: ./docker/firestore-emulator\n    ports: [\"8787:8787\"]\n  firestore-component-tests:\n    build: ./docker/firestore-emulator\n",
            ),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
            ("api/Dockerfile", "FROM python:3.12\nCOPY . /app\n"),
            // An emulator: a plain base image, the tool installed, its config copied in.
            (
                "docker/firestore-emulator/Dockerfile",
                "FROM node:20-alpine\nRUN npm install -g firebase-tools\nCOPY firebase.json .\nCOPY start.sh .\nENTRYPOINT [\"./start.sh\"]\n",
            ),
            ("docker/firestore-emulator/firebase.json", "{\"emulators\": {\"firestore\": {\"port\": 8787}}}\n"),
            ("docker/firestore-emulator/start.sh", "#!/bin/sh\nexec firebase emulators:start\n"),
        ],
        expect: &[
            Expect::Services(&[("api", "api")]),
            Expect::Externals(&["firestore"]),
            Expect::Connection("api", "firestore"),
        ],
    },
    Case {
        name: "a-workload-named-by-a-shortening-of-the-program-runs-it",
        files: &[
            (
                "package.json",
                "{\"name\": \"acme-storefront\", \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"express\": \"4\"}}\n",
            ),
            ("server.js", EXPRESS_SERVER),
            // Built by a buildpack, not a Dockerfile: the manifest names only its image.
            (
                "k8s/storefront.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: storefront\nspec:\n  template:\n    spec:\n      containers:\n        - name: workload\n          image: registry.example.com/storefront:1.0\n          ports:\n            - containerPort: 3000\n",
            ),
        ],
        expect: &[Expect::Services(&[("storefront", "")]), Expect::Externals(&[])],
    },
    Case {
        name: "depends-on-between-processes-of-one-code-base-orders-their-start",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n    depends_on: [redis]\n  worker:\n    build: .\n    command: celery -A app worker\n    depends_on: [web, redis]\n  redis:\n    image: redis:7\n",
            ),
            ("requirements.txt", FASTAPI_REQUIREMENTS),
            ("main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("web", ""), ("worker", "")]),
            Expect::Connection("worker", "redis"),
            Expect::NoConnection("worker", "web"),
        ],
    },
    Case {
        name: "an-unknown-image-listening-on-a-systems-own-port-is-that-system",
        files: &[
            (
                "compose.yaml",
                "services:\n  api:\n    build: ./api\n    environment:\n      DB_HOST: db\n  db:\n    image: acme/shop-db:1.4\n    expose: [\"3306\"]\n  search:\n    image: acme/shop-search:1.4\n    ports: [\"8081:8080\"]\n",
            ),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api")]),
            // 8080 is nobody's own port: the image stays what its name says.
            Expect::Externals(&["mysql", "shop-search"]),
            Expect::Connection("api", "mysql"),
        ],
    },
    Case {
        name: "a-scheduler-process-reaches-its-queue-and-database-not-what-the-jobs-call",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n  worker:\n    build: .\n    command: celery -A app worker\n  beat:\n    build: .\n    command: celery -A app beat -l info\n  redis:\n    image: redis:7\n  db:\n    image: postgres:16\n",
            ),
            ("requirements.txt", "fastapi\nuvicorn\ncelery\nredis\npsycopg2\nstripe\n"),
            ("main.py", FASTAPI_MAIN),
            (
                "tasks.py",
                "import os\nimport stripe\nimport psycopg2\nfrom celery import Celery\n\napp = Celery('app', broker=os.environ['REDIS_URL'])\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("beat", ""), ("web", ""), ("worker", "")]),
            Expect::Connection("worker", "stripe"),
            Expect::Connection("beat", "postgres"),
            Expect::NoConnection("beat", "stripe"),
        ],
    },
    Case {
        name: "a-worker-only-the-task-runner-starts-is-a-process-of-its-own",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n  celery:\n    build: .\n    command: celery -A app worker\n",
            ),
            (
                "pyproject.toml",
                "[project]\nname = \"shop\"\ndependencies = [\"fastapi\", \"celery\"]\n\n[tool.poe.tasks]\nstart = \"uvicorn main:app\"\nlint = \"ruff check .\"\nworker.cmd = \"celery -A app worker -E\"\nscheduler.cmd = \"celery -A app beat\"\n",
            ),
            ("main.py", FASTAPI_MAIN),
        ],
        // compose already runs the worker; nothing runs the scheduler but the task.
        expect: &[Expect::Services(&[("celery", ""), ("scheduler", ""), ("web", "")])],
    },
    Case {
        name: "an-address-taken-whole-from-a-configmap-is-a-call-only-if-the-code-reads-it",
        files: &[
            (
                "k8s/app.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: addresses\ndata:\n  CART_ADDR: cart:8080\n  USERS_ADDR: users:8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1\n          envFrom:\n            - configMapRef:\n                name: addresses\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n    metadata:\n      labels:\n        app: cart\n    spec:\n      containers:\n        - name: cart\n          image: registry.example.com/cart:1\n          envFrom:\n            - configMapRef:\n                name: addresses\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  selector:\n    app: cart\n  ports:\n    - port: 8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: users\nspec:\n  template:\n    metadata:\n      labels:\n        app: users\n    spec:\n      containers:\n        - name: users\n          image: registry.example.com/users:1\n          envFrom:\n            - configMapRef:\n                name: addresses\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: users\nspec:\n  selector:\n    app: users\n  ports:\n    - port: 8080\n",
            ),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "api/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nCART = os.environ[\"CART_ADDR\"]\n",
            ),
            ("cart/requirements.txt", FASTAPI_REQUIREMENTS),
            ("cart/main.py", FASTAPI_MAIN),
            ("users/requirements.txt", FASTAPI_REQUIREMENTS),
            ("users/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api"), ("cart", "cart"), ("users", "users")]),
            Expect::Connection("api", "cart"),
            Expect::NoConnection("api", "users"),
            // Code that reads no env var we can see keeps every address it is given.
            Expect::Connection("cart", "users"),
        ],
    },
    Case {
        // The ConfigMap exists only as a Kustomize generator: literals and an env file.
        name: "a-kustomize-generated-configmap-gives-its-literals-and-env-file",
        files: &[
            (
                "deploy/base/api.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1\n          envFrom:\n            - configMapRef:\n                name: addresses\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 8080\n",
            ),
            (
                "deploy/base/cart.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n    metadata:\n      labels:\n        app: cart\n    spec:\n      containers:\n        - name: cart\n          image: registry.example.com/cart:1\n          envFrom:\n            - configMapRef:\n                name: addresses\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  selector:\n    app: cart\n  ports:\n    - port: 8080\n",
            ),
            (
                "deploy/base/users.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: users\nspec:\n  template:\n    metadata:\n      labels:\n        app: users\n    spec:\n      containers:\n        - name: users\n          image: registry.example.com/users:1\n          envFrom:\n            - configMapRef:\n                name: addresses\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: users\nspec:\n  selector:\n    app: users\n  ports:\n    - port: 8080\n",
            ),
            (
                "deploy/base/kustomization.yaml",
                "resources:\n  - api.yaml\n  - cart.yaml\n  - users.yaml\nconfigMapGenerator:\n  - name: addresses\n    literals:\n      - CART_ADDR=cart:8080\n    envs:\n      - addresses.env\nsecretGenerator:\n  - name: keys\n    literals:\n      - API_TOKEN=hunter2\n",
            ),
            ("deploy/base/addresses.env", "USERS_ADDR=users:8080\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "api/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nCART = os.environ[\"CART_ADDR\"]\nUSERS = os.environ[\"USERS_ADDR\"]\n",
            ),
            ("cart/requirements.txt", FASTAPI_REQUIREMENTS),
            ("cart/main.py", FASTAPI_MAIN),
            ("users/requirements.txt", FASTAPI_REQUIREMENTS),
            ("users/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api"), ("cart", "cart"), ("users", "users")]),
            Expect::Connection("api", "cart"),
            Expect::Connection("api", "users"),
            Expect::EnvStatus("CART_ADDR", "defined"),
            Expect::EnvStatus("USERS_ADDR", "defined"),
        ],
    },
    Case {
        // Every image builds from the repository root and copies all of it;
        // only the `go build` each Dockerfile runs (from the directory it
        // copied the context to, or a WORKDIR inside it) says which program
        // the image holds.
        name: "root-context-dockerfiles-build-the-program-their-run-compiles",
        files: &[
            (
                "docker-compose.yml",
                "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile-api\n    ports: [\"8080:8080\"]\n  worker:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile-worker\n",
            ),
            (
                "docker/Dockerfile-api",
                "FROM golang:1.22 AS builder\nCOPY . /app\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache CGO_ENABLED=0 go build -o /bin/app ./cmd/api\nFROM scratch\nCOPY --from=builder /bin/app /app\nCMD [\"/app\"]\n",
            ),
            (
                "docker/Dockerfile-worker",
                "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nWORKDIR /src/cmd/worker\nRUN go build -o /bin/worker\nCMD [\"/bin/worker\"]\n",
            ),
            ("go.mod", GO_MOD),
            ("cmd/api/main.go", GO_MAIN),
            ("cmd/worker/main.go", "package main\n\nfunc main() {}\n"),
        ],
        expect: &[Expect::Services(&[("api", "cmd/api"), ("worker", "cmd/worker")])],
    },
    Case {
        // The same Dockerfiles with no compose file to name their context:
        // each is the build of the program its RUN compiles, whose port it exposes.
        name: "loose-root-context-dockerfiles-belong-to-the-program-their-run-compiles",
        files: &[
            (
                "docker/Dockerfile-api",
                "FROM golang:1.22 AS builder\nCOPY . /app\nWORKDIR /app\nRUN go build -o /bin/app ./cmd/api\nFROM scratch\nCOPY --from=builder /bin/app /app\nEXPOSE 8080\nCMD [\"/app\"]\n",
            ),
            (
                "docker/Dockerfile-worker",
                "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/worker ./cmd/worker\nEXPOSE 9100\nCMD [\"/bin/worker\"]\n",
            ),
            ("go.mod", GO_MOD),
            ("cmd/api/main.go", GO_MAIN),
            ("cmd/worker/main.go", "package main\n\nfunc main() {}\n"),
        ],
        expect: &[
            Expect::Services(&[("api", "cmd/api"), ("worker", "cmd/worker")]),
            Expect::Ports("api", &[8080]),
            Expect::Ports("worker", &[9100]),
        ],
    },
    Case {
        // The base names plain workloads; the production overlay prefixes
        // their names, puts them in a namespace and patches the api's env
        // (a patch file and an inline JSON 6902 patch). The api reaches the
        // cart by the name only the build gives it.
        name: "kustomize-overlays-patch-env-and-rename-services",
        files: &[
            (
                "deploy/base/api.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: api\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n",
            ),
            (
                "deploy/base/cart.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n    metadata:\n      labels:\n        app: cart\n    spec:\n      containers:\n        - name: cart\n          image: cart\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  selector:\n    app: cart\n  ports:\n    - port: 8080\n",
            ),
            ("deploy/base/kustomization.yaml", "resources:\n  - api.yaml\n  - cart.yaml\n"),
            (
                "deploy/overlays/prod/kustomization.yaml",
                "resources:\n  - ../../base\nnamePrefix: prod-\nnamespace: shop\npatches:\n  - path: api-env.yaml\n    target:\n      kind: Deployment\n      name: api\n  - target:\n      kind: Deployment\n      name: api\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/env/-\n        value:\n          name: FEATURE_FLAGS\n          value: fast-checkout\n",
            ),
            (
                "deploy/overlays/prod/api-env.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-env-patch\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: CART_URL\n              value: http://prod-cart.shop.svc.cluster.local:8080\n",
            ),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "api/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nCART = os.environ[\"CART_URL\"]\nFLAGS = os.environ[\"FEATURE_FLAGS\"]\n",
            ),
            ("cart/requirements.txt", FASTAPI_REQUIREMENTS),
            ("cart/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api"), ("cart", "cart")]),
            Expect::Connection("api", "cart"),
            Expect::EnvStatus("CART_URL", "defined"),
            Expect::EnvStatus("FEATURE_FLAGS", "defined"),
        ],
    },
    Case {
        name: "a-dotnet-typed-http-client-calls-the-address-its-configuration-holds",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./Web\n    ports: [\"5000:8080\"]\n  catalog:\n    build: ./Catalog\n  postgres:\n    image: postgres:16\n",
            ),
            ("Web/Web.csproj", DOTNET_WEB_PROJECT),
            (
                "Web/Program.cs",
                "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new Uri(builder.Configuration[\"CatalogUrl\"]!));\nvar app = builder.Build();\napp.Run();\n",
            ),
            (
                "Web/appsettings.json",
                "{\n  // the catalog's address\n  \"CatalogUrl\": \"http://catalog:8080\",\n  \"Oidc\": { \"RedirectUri\": \"http://catalog:8080/signin\" },\n  \"ConnectionStrings\": { \"WebDb\": \"Host=postgres;Port=5432;Database=web\" }\n}\n",
            ),
            ("Catalog/Catalog.csproj", DOTNET_WEB_PROJECT),
            (
                "Catalog/Program.cs",
                "var app = WebApplication.CreateBuilder(args).Build();\napp.MapGet(\"/items\", () => \"[]\");\napp.Run();\n",
            ),
            (
                "Catalog/appsettings.json",
                "{ \"Kestrel\": { \"Endpoints\": { \"Http\": { \"Url\": \"http://+:8080\" } } } }\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("catalog", "Catalog"), ("web", "Web")]),
            Expect::Externals(&["postgres"]),
            Expect::Connection("web", "catalog"),
            Expect::Connection("web", "postgres"),
            Expect::NoConnection("catalog", "postgres"),
        ],
    },
    Case {
        name: "a-nextjs-rewrite-and-a-vite-proxy-forward-to-the-backend",
        files: &[
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./web\n    environment:\n      BACKEND_URL: http://api:8000\n  api:\n    build: ./api\n    ports: [\"8000:8000\"]\n",
            ),
            (
                "web/package.json",
                "{\"name\": \"web\", \"scripts\": {\"dev\": \"next dev\"}, \"dependencies\": {\"next\": \"14\"}}\n",
            ),
            (
                "web/next.config.js",
                "module.exports = {\n  async rewrites() {\n    return [{ source: '/api/:path*', destination: `${process.env.BACKEND_URL}/api/:path*` }];\n  },\n};\n",
            ),
            (
                "admin/package.json",
                "{\"name\": \"admin\", \"scripts\": {\"dev\": \"vite\"}, \"devDependencies\": {\"vite\": \"5\"}}\n",
            ),
            (
                "admin/vite.config.ts",
                "import { defineConfig } from 'vite'\nexport default defineConfig({\n  server: { proxy: { '/api': { target: 'http://localhost:8000', changeOrigin: true } } },\n})\n",
            ),
            ("admin/src/main.ts", "fetch('/api/items')\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[Expect::Connection("web", "api"), Expect::Connection("admin", "api")],
    },
    Case {
        name: "dapr-service-invocation-calls-the-application-it-names-and-a-bind-address-calls-nothing",
        files: &[
            (
                "compose.yaml",
                "services:\n  gateway:\n    build: ./gateway\n    ports: [\"5202:80\"]\n  web:\n    build: ./web\n  admin:\n    build: ./admin\n    environment:\n      BIND_URLS: http://0.0.0.0:8000\n  basket:\n    build: ./basket\n    ports: [\"8000:8000\"]\n",
            ),
            ("gateway/Dockerfile", "FROM envoyproxy/envoy:v1.29\nCOPY envoy.yaml /etc/envoy/envoy.yaml\n"),
            (
                "gateway/envoy.yaml",
                r#"static_resources:
  listeners:
  - address:
      socket_address: {address: 0.0.0.0, port_value: 80}
    filter_chains:
    - filters:
      - config:
          route_config:
            virtual_hosts:
            - routes:
              - match: {prefix: "/b/"}
                route:
                  prefix_rewrite: "/v1.0/invoke/basket/method/"
                  cluster: dapr
  clusters:
  - name: dapr
    hosts:
    - socket_address: {address: 127.0.0.1, port_value: 3500}
"#,
            ),
            ("web/package.json", EXPRESS_PACKAGE),
            (
                "web/server.js",
                "const express = require('express');\nconst app = express();\nfetch('http://localhost:3500/v1.0/invoke/basket/method/items');\napp.listen(3000);\n",
            ),
            ("admin/requirements.txt", FASTAPI_REQUIREMENTS),
            (
                "admin/main.py",
                "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nBIND = os.environ[\"BIND_URLS\"]\n",
            ),
            ("basket/requirements.txt", FASTAPI_REQUIREMENTS),
            ("basket/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Connection("gateway", "basket"),
            Expect::Connection("web", "basket"),
            // Where admin binds, not whom it calls.
            Expect::NoConnection("admin", "basket"),
        ],
    },
    Case {
        name: "an-identity-server-is-given-its-clients-addresses-it-does-not-call-them",
        files: &[
            (
                "compose.yaml",
                "services:\n  identity:\n    build: ./Identity\n    environment:\n      WebAppClient: http://webapp:8080\n  webapp:\n    build: ./WebApp\n    environment:\n      IdentityUrl: http://identity:8080\n",
            ),
            (
                "Identity/Identity.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <ItemGroup>\n    <PackageReference Include=\"Duende.IdentityServer\" Version=\"7.0.0\" />\n  </ItemGroup>\n</Project>\n",
            ),
            (
                "Identity/Program.cs",
                "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddIdentityServer();\nvar redirect = $\"{builder.Configuration[\"WebAppClient\"]}/signin-oidc\";\nbuilder.Build().Run();\n",
            ),
            ("WebApp/WebApp.csproj", DOTNET_WEB_PROJECT),
            (
                "WebApp/Program.cs",
                "var builder = WebApplication.CreateBuilder(args);\nvar authority = builder.Configuration[\"IdentityUrl\"];\nbuilder.Build().Run();\n",
            ),
        ],
        expect: &[
            Expect::Services(&[("identity", "Identity"), ("webapp", "WebApp")]),
            Expect::Connection("webapp", "identity"),
            Expect::NoConnection("identity", "webapp"),
        ],
    },
    Case {
        name: "a-go-command-the-build-runs-from-source-is-a-build-step-not-a-service",
        files: &[
            ("go.mod", GO_MOD),
            ("cmd/api/main.go", GO_MAIN),
            ("cmd/worker/main.go", GO_MAIN),
            (
                "cmd/gendocs/main.go",
                "package main\n\nimport \"os\"\n\nfunc main() {\n\tos.WriteFile(os.Args[1], nil, 0o644)\n}\n",
            ),
            // `go build` of the worker ships it; `go run` of the generator is a build step.
            ("Makefile", "build:\n\tgo build -o bin/worker ./cmd/worker\n\ndocs:\n\tgo run ./cmd/gendocs/. docs/cli\n"),
        ],
        expect: &[Expect::Services(&[("api", "cmd/api"), ("worker", "cmd/worker")])],
    },
    Case {
        name: "a-go-modules-own-main-beside-a-ui-is-its-program",
        files: &[
            ("go.mod", GO_MOD),
            ("main.go", "package main\n\nimport \"example.com/svc/cmd\"\n\nfunc main() {\n\tcmd.Execute()\n}\n"),
            (
                "cmd/root.go",
                "package cmd\n\nimport \"net/http\"\n\nfunc Execute() {\n\thttp.ListenAndServe(\":4533\", nil)\n}\n",
            ),
            // Build-time tool imports: a `package main` with no `main`.
            ("tools.go", "//go:build tools\n\npackage main\n\nimport _ \"github.com/google/wire/cmd/wire\"\n"),
            (
                "ui/package.json",
                "{\"name\": \"svc-ui\", \"scripts\": {\"start\": \"vite\", \"build\": \"vite build\"}, \"dependencies\": {\"react\": \"18\"}}\n",
            ),
            ("ui/src/index.jsx", "import React from 'react';\n"),
        ],
        expect: &[Expect::Services(&[("svc", ""), ("ui", "ui")])],
    },
    Case {
        name: "a-static-front-ends-same-origin-calls-reach-the-one-backend",
        files: &[
            (
                "web/package.json",
                "{\"name\": \"web\", \"scripts\": {\"dev\": \"vite\"}, \"dependencies\": {\"react\": \"18\"}}\n",
            ),
            (
                "web/src/api.js",
                "export const items = () => fetch('/api/items');\nexport const one = (id) => axios.get(`api/items/${id}`);\n",
            ),
            (
                "site/package.json",
                "{\"name\": \"site\", \"scripts\": {\"dev\": \"next dev\"}, \"dependencies\": {\"next\": \"14\"}}\n",
            ),
            // Next.js answers its own /api routes.
            ("site/app/page.tsx", "export default async function Page() { await fetch('/api/hello'); return null; }\n"),
            ("api/requirements.txt", FASTAPI_REQUIREMENTS),
            ("api/main.py", FASTAPI_MAIN),
        ],
        expect: &[
            Expect::Services(&[("api", "api"), ("site", "site"), ("web", "web")]),
            Expect::Connection("web", "api"),
            Expect::NoConnection("site", "api"),
        ],
    },
];
