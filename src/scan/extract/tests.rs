//! Rule tests: each snippet, the facts it must give, and nothing else.

use super::*;
use crate::scan::lang::{self, Detected};

/// Facts of `source` as `rule value` lines, `value` being the name, port,
/// module or url the fact carries.
/// Calls with env-shaped literals are left out: they are reads only when
/// inference finds the function is a wrapper (see `all_facts_of`).
pub(crate) fn facts_of(file_name: &str, source: &str) -> Vec<String> {
    all_facts_of(file_name, source)
        .into_iter()
        .filter(|f| !f.contains(".call.") && !f.contains(".member.") && !f.contains(".binding."))
        .collect()
}

/// Every fact of `source`, calls, member reads and import bindings included.
pub(crate) fn all_facts_of(file_name: &str, source: &str) -> Vec<String> {
    let Some(Detected::Parsed(language)) = lang::detect(file_name) else { panic!("{file_name} is not parsed") };
    assert!(worth_parsing(language, source), "prefilter rejected {file_name}");
    extract(language, source)
        .unwrap()
        .into_iter()
        .map(|fact| {
            let value = match fact.kind {
                FactKind::EnvRead { name, default: false, .. } => name,
                FactKind::EnvRead { name, default: true, fallback: None } => format!("{name}?"),
                FactKind::EnvRead { name, default: true, fallback: Some(f) } => format!("{name}?{f}"),
                FactKind::Framework { name, port } => {
                    format!("{name}{}", port.map(|p| format!(":{p}")).unwrap_or_default())
                }
                FactKind::Listen { port, env } => port.map(|p| p.to_string()).or(env).unwrap_or_default(),
                FactKind::Import { module } => module,
                FactKind::Target { url, env, .. } => url.or(env).unwrap_or_default(),
                FactKind::Literal { url } => url,
                FactKind::ConfigKey { key } => key,
                FactKind::EnvPrefix { prefix } => prefix,
                FactKind::EnvWrapper { function } => function,
                FactKind::DaprUse { block } => block,
                FactKind::Call { function, name } => format!("{function}({name})"),
                FactKind::EnvRecord { binding } => binding,
                FactKind::ImportBinding { binding, module, exported } => format!("{binding}={exported}@{module}"),
                FactKind::Member { object, name } => format!("{object}.{name}"),
                FactKind::GrpcStub { symbol, serves } => format!("{}{symbol}", if serves { "serves " } else { "" }),
            };
            format!("{}:{} {value}", fact.line, fact.rule)
        })
        .collect()
}

#[test]
fn every_rule_file_compiles_and_follows_the_capture_conventions() {
    for language in lang::PARSED {
        let files = rules::compile_all(language).unwrap_or_else(|e| panic!("{e}"));
        assert!(files > 0, "{}", language.name);
        for (name, text) in language.rules {
            assert!(!text.contains("; triggers: zzzz"), "grammars/{name} is still a placeholder");
        }
    }
}

#[test]
fn is_env_name_accepts_only_env_shaped_names() {
    for good in ["A", "DATABASE_URL", "_X", "next_public_x", "V2"] {
        assert!(is_env_name(good), "{good}");
    }
    for bad in ["", "2X", "A-B", "a b", "http://x", "X.Y"] {
        assert!(!is_env_name(bad), "{bad}");
    }
}

#[test]
fn python_rules() {
    let source = r#"
import os, stripe
from os import environ, getenv
import redis as r
from fastapi import FastAPI
from pydantic_settings import BaseSettings
a = os.getenv("A", "default")
b = os.environ["B"]
c = os.environ.get("C")
d = getenv("D")
e = environ.setdefault("E", "1")
# f = os.getenv("COMMENTED_OUT")
g = "os.getenv('NOT_A_READ')"
app = FastAPI()
class Settings(BaseSettings):
    database_url: str
    api_key: str = "x"
def f():
    pass
uvicorn.run(app, host="0.0.0.0", port=8000)
r = requests.get("http://backend:8000/health")
s = requests.post(os.getenv("PAYMENTS_URL"))
ch = grpc.insecure_channel(os.environ["CART_ADDR"])
DSN = "postgresql://user@db:5432/app"
"#;
    let facts = facts_of("app.py", source);
    let expected = [
        "2:python.import.module os",
        "2:python.import.module stripe",
        "3:python.import.from os",
        "4:python.import.module redis",
        "5:python.import.from fastapi",
        "6:python.import.from pydantic_settings",
        "7:python.env.os-getenv A?default",
        "8:python.env.environ-index B",
        "9:python.env.environ-get C",
        "10:python.env.os-getenv D",
        "11:python.env.environ-get E?1",
        "14:python.framework.fastapi fastapi",
        "16:python.env.pydantic-settings DATABASE_URL",
        "17:python.env.pydantic-settings API_KEY",
        "20:python.listen.run-port 8000",
        "21:python.http.literal-url http://backend:8000/health",
        "21:python.literal.url http://backend:8000/health",
        "22:python.env.os-getenv PAYMENTS_URL",
        "22:python.http.env-url PAYMENTS_URL",
        "23:python.env.environ-index CART_ADDR",
        "23:python.grpc.channel CART_ADDR",
        "24:python.literal.url postgresql://user@db:5432/app",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

#[test]
fn javascript_and_typescript_rules() {
    let source = r#"import express from "express";
import { Pool } from "pg";
const Stripe = require("stripe");
const a = process.env.A;
const b = process.env["B"];
const { C, D: dee = "x", E = 1 } = process.env;
const f = import.meta.env.VITE_F;
// const g = process.env.COMMENTED;
const h = "process.env.NOT_A_READ";
const app = express();
app.listen(process.env.PORT || 8080);
fetch(`${process.env.NEXT_PUBLIC_API_URL}/items`);
axios.get("http://backend:8000/x");
const api = axios.create({ baseURL: process.env.API_BASE });
const client = new CartServiceClient(process.env.CART_ADDR, grpc.credentials.createInsecure());
const db = "redis://cache:6379";
"#;
    let expected = [
        "1:js.import.esm express",
        "2:js.import.esm pg",
        "3:js.import.require stripe",
        "4:js.env.process-env A",
        "5:js.env.process-env-index B",
        "6:js.env.destructure C",
        "6:js.env.destructure D",
        "6:js.env.destructure E",
        "7:js.env.import-meta-env VITE_F",
        "10:js.framework.express express",
        "11:js.env.process-env PORT?",
        "11:js.listen.env-or-number 8080",
        "12:js.env.process-env NEXT_PUBLIC_API_URL",
        "12:js.http.env-url NEXT_PUBLIC_API_URL",
        "13:js.http.literal-url http://backend:8000/x",
        "13:js.literal.url http://backend:8000/x",
        "14:js.env.process-env API_BASE",
        "14:js.http.base-url-env API_BASE",
        "15:js.env.process-env CART_ADDR",
        "15:js.grpc.client-env CART_ADDR",
        "15:js.grpcclient.new-client CartServiceClient",
        "16:js.literal.url redis://cache:6379",
    ];
    for file in ["a.js", "a.ts", "a.tsx"] {
        let facts = facts_of(file, source);
        assert_eq!(facts, expected, "{file}\n{}", facts.join("\n"));
    }
}

#[test]
#[ignore = "a measurement, not a check: cargo test --release -- --ignored compile_cost --nocapture"]
fn compile_cost() {
    for language in lang::PARSED {
        for (file, text) in language.rules {
            let start = std::time::Instant::now();
            tree_sitter::Query::new(&(language.grammar)(), text).unwrap();
            println!("{file:<24} {:>6.1} ms", start.elapsed().as_secs_f64() * 1000.0);
        }
    }
}

#[test]
fn struct_tags_name_the_env_var() {
    assert_eq!(struct_tag_env("env:\"PORT\" envDefault:\"8080\""), Some("PORT".into()));
    assert_eq!(struct_tag_env("json:\"db\" envconfig:\"DATABASE_URL\" required:\"true\""), Some("DATABASE_URL".into()));
    assert_eq!(struct_tag_env("env:\"TOKEN,required\""), Some("TOKEN".into()));
    assert_eq!(struct_tag_env("json:\"name\""), None);
}

#[test]
fn python_settings_libraries_and_deno() {
    let python = "from decouple import config\nimport environ\nenv = environ.Env()\nSECRET = config(\"SECRET_KEY\")\nDEBUG = env.bool(\"DEBUG\", default=False)\nDB = env(\"DATABASE_URL\")\nx = config(\"lower.key\")\n";
    let facts: Vec<String> = facts_of("settings.py", python).into_iter().filter(|f| f.contains(".env.")).collect();
    assert_eq!(
        facts,
        ["4:python.env.decouple SECRET_KEY", "5:python.env.django-environ DEBUG", "6:python.env.decouple DATABASE_URL"],
        "\n{}",
        facts.join("\n")
    );
    let deno = facts_of("main.ts", "const port = Deno.env.get(\"PORT\");\n");
    assert_eq!(deno, ["1:js.env.deno PORT"]);
}

#[test]
fn configuration_keys_and_env_prefixes() {
    let java = r#"package a;
@ConfigurationProperties("retail.cart")
class CartProperties {
    @Value("${retail.cart.provider:memory}") String provider;
    @Value("${PORT}") String port;
    String url() { return environment.getProperty("retail.cart.url"); }
    String other() { return map.getProperty("plain"); }
}
"#;
    let record = "@ConfigurationProperties(prefix = \"yas.services\")\npublic record ServiceUrlConfig(String media, String productUrl) {}\n";
    assert_eq!(
        facts_of("ServiceUrlConfig.java", record),
        [
            "1:java.config.configuration-properties-member yas.services.media",
            "1:java.config.configuration-properties-member yas.services.productUrl",
        ],
        "a record binds its components, not everything under the prefix"
    );
    let class = "@ConfigurationProperties(\"shop.mail\")\npublic class Mail {\n    private static final int MAX = 3;\n    private String host;\n    private int port;\n}\n";
    assert_eq!(
        facts_of("Mail.java", class),
        [
            "1:java.config.configuration-properties-member shop.mail.host",
            "1:java.config.configuration-properties-member shop.mail.port"
        ]
    );
    let bean = "class Config {\n    @Bean\n    @ConfigurationProperties(\"app.datasource\")\n    DataSource dataSource() { return null; }\n}\n";
    assert_eq!(
        facts_of("Config.java", bean),
        ["3:java.config.configuration-properties app.datasource"],
        "on a method, the whole prefix is bound"
    );
    assert_eq!(
        facts_of("CartProperties.java", java),
        [
            "2:java.config.configuration-properties-member retail.cart.provider",
            "2:java.config.configuration-properties-member retail.cart.port",
            "4:java.config.spring-value retail.cart.provider",
            "5:java.env.spring-value PORT",
            "6:java.config.environment-get-property retail.cart.url",
        ]
    );
    let csharp = r#"var builder = WebApplication.CreateBuilder(args);
var a = builder.Configuration["Identity:Url"];
var b = builder.Configuration.GetValue<bool>("UseHttps");
var c = configuration.GetSection("Redis");
var d = builder.Configuration.GetConnectionString("catalogdb");
var e = dictionary["NotConfig"];
"#;
    let facts = facts_of("Program.cs", csharp);
    for expected in [
        "2:csharp.config.configuration-index Identity:Url",
        "3:csharp.config.configuration-get UseHttps",
        "4:csharp.config.configuration-get Redis",
        "5:csharp.config.connection-string ConnectionStrings:catalogdb",
    ] {
        assert!(facts.iter().any(|f| f == expected), "{expected} in {facts:?}");
    }
    assert!(!facts.iter().any(|f| f.contains("NotConfig")), "{facts:?}");
    let go = r##"package main

func main() {
	viper.SetEnvPrefix("ND")
	viper.AutomaticEnv()
	viper.SetDefault("music.folder", "./music")
	level := viper.GetString("log.level")
	fs.String("ui-color", "#fff", "colour")
	fs.IntVar(&port, "port", 9898, "port")
	c.GetString("not-viper")
}
"##;
    assert_eq!(
        facts_of("main.go", go),
        [
            "4:go.envprefix.viper-prefix ND",
            "5:go.envprefix.viper-automatic ",
            "6:go.config.viper-default music.folder",
            "7:go.config.viper-get log.level",
            "8:go.config.pflag ui-color",
            "9:go.config.pflag-var port",
        ]
    );
}

/// A function whose body reads the env var its first parameter names is a
/// wrapper, whatever it is called; a function that reads another is not.
#[test]
fn env_wrappers_are_found_by_what_their_body_does() {
    let python = r#"import os
def flag(name, default="0"):
    return os.getenv(name, default) == "1"
class Settings:
    def value(self, key):
        return os.environ[key]
def unrelated(name):
    return os.getenv("HOME")
DEBUG = flag("DEBUG")
"#;
    let facts = all_facts_of("settings.py", python);
    for expected in
        ["2:python.wrapper.function flag", "5:python.wrapper.method value", "9:python.call.env-shaped flag(DEBUG)"]
    {
        assert!(facts.iter().any(|f| f == expected), "{expected} in {facts:?}");
    }
    assert!(!facts.iter().any(|f| f.contains("wrapper") && f.ends_with("unrelated")), "{facts:?}");
    let js = "const read = (name: string, fallback = \"\") => process.env[name] ?? fallback;\nexport const url = read(\"API_URL\");\n";
    let facts = all_facts_of("env.ts", js);
    assert!(facts.contains(&"1:js.wrapper.arrow read".to_owned()), "{facts:?}");
    assert!(facts.contains(&"2:js.call.env-shaped read(API_URL)".to_owned()), "{facts:?}");
    let go = "package config\n\nimport \"os\"\n\nfunc setting(key, fallback string) string {\n\tif v, ok := os.LookupEnv(key); ok {\n\t\treturn v\n\t}\n\treturn fallback\n}\n\nvar Port = setting(\"PORT\", \"8080\")\n";
    let facts = all_facts_of("config.go", go);
    assert!(facts.contains(&"5:go.wrapper.function setting".to_owned()), "{facts:?}");
    assert!(facts.contains(&"12:go.call.env-shaped setting(PORT)".to_owned()), "{facts:?}");
    let ruby = "def env_int(name, default = 0)\n  ENV.fetch(name, default).to_i\nend\nWORKERS = env_int(\"WEB_CONCURRENCY\", 2)\n";
    let facts = all_facts_of("settings.rb", ruby);
    assert!(facts.contains(&"1:ruby.wrapper.method env_int".to_owned()), "{facts:?}");
    assert!(facts.contains(&"4:ruby.call.env-shaped env_int(WEB_CONCURRENCY)".to_owned()), "{facts:?}");
    let java = "class Env {\n  static String get(String name) {\n    return System.getenv(name);\n  }\n  String url = get(\"CART_URL\");\n}\n";
    let facts = all_facts_of("Env.java", java);
    assert!(facts.contains(&"2:java.wrapper.method get".to_owned()), "{facts:?}");
    assert!(facts.contains(&"5:java.call.env-shaped get(CART_URL)".to_owned()), "{facts:?}");
    let elixir = "defmodule Env do\n  def get_boolean(key, default \\\\ false) do\n    System.get_env(key) == \"true\" || default\n  end\nend\nx = Env.get_boolean(\"ALERTS_ENABLED\", true)\n";
    let facts = all_facts_of("runtime.exs", elixir);
    assert!(facts.contains(&"2:elixir.wrapper.def get_boolean".to_owned()), "{facts:?}");
    assert!(facts.contains(&"6:elixir.call.env-shaped get_boolean(ALERTS_ENABLED)".to_owned()), "{facts:?}");
    let guarded = "defmodule Env do\n  def flag(env, default) when is_boolean(default) do\n    System.get_env(env) || default\n  end\nend\n";
    assert!(all_facts_of("runtime.exs", guarded).contains(&"2:elixir.wrapper.def flag".to_owned()));
    let php = "<?php\nfunction env_or($name, $default = null) { return getenv($name) ?: $default; }\nclass Cfg { public function read($key) { return $_ENV[$key]; } }\n$x = env_or('APP_X');\n$y = $cfg->read('APP_Y');\n";
    let facts = all_facts_of("config.php", php);
    for expected in [
        "2:php.wrapper.function env_or",
        "3:php.wrapper.method read",
        "4:php.call.env-shaped env_or(APP_X)",
        "5:php.call.env-shaped read(APP_Y)",
    ] {
        assert!(facts.contains(&expected.to_owned()), "{expected} in {facts:?}");
    }
}

#[test]
fn the_env_record_under_another_name() {
    let module = "export default withSecrets(process.env);\n";
    assert!(all_facts_of("environment.ts", module).contains(&"1:js.envrecord.default-export default".to_owned()));
    let plain = "export default process.env;\n";
    assert!(all_facts_of("environment.js", plain).contains(&"1:js.envrecord.default-export default".to_owned()));
    let user = "import environment from \"./environment\";\nimport { env as e, other } from \"@lib/config\";\nimport express from \"express\";\nconst local = { ...process.env };\nconst { PORT, HOST: host } = local;\nexport const smtp = environment.SMTP_HOST;\nexport const x = this.fieldName;\n";
    let facts = all_facts_of("server.ts", user);
    for expected in [
        "1:js.binding.default-import environment=default@./environment",
        "2:js.binding.named-import e=env@@lib/config",
        "2:js.binding.named-import other=other@@lib/config",
        "4:js.envrecord.alias local",
        "5:js.member.destructure local.PORT",
        "5:js.member.destructure local.HOST",
        "6:js.member.env-shaped environment.SMTP_HOST",
    ] {
        assert!(facts.contains(&expected.to_owned()), "{expected} in {facts:?}");
    }
    // A package's import binds nothing the tree could hand over.
    assert!(!facts.iter().any(|f| f.contains("express")), "{facts:?}");
}

/// A literal fallback of a read is kept only as an address; a secret-looking one is dropped.
#[test]
fn fallbacks_keep_only_their_address() {
    let source = "import os\nA = os.getenv(\"CART_HOST\", \"cart\")\nB = os.getenv(\"DATABASE_URL\", \"postgres://app:hunter2@db:5432/app\")\nC = os.getenv(\"API_TOKEN\", \"s3cr3t\")\nD = os.getenv(\"WORKERS\", 4)\n";
    assert_eq!(
        facts_of("settings.py", source),
        [
            "2:python.env.os-getenv CART_HOST?cart",
            "3:python.env.os-getenv DATABASE_URL?postgres://db:5432",
            // (literal URLs are reduced to their address when the facts are stored)
            "3:python.literal.url postgres://app:hunter2@db:5432/app",
            "4:python.env.os-getenv API_TOKEN?",
            "5:python.env.os-getenv WORKERS?",
        ]
    );
}

#[test]
fn django_settings_name_the_modules_django_imports() {
    let python = r#"DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
    },
    "other": {"ENGINE": "django.db.backends." + DB},
}
CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://cache:6379/1"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"
TITLE_BACKEND = "not a module"
backend = "a.b"
"#;
    let facts: Vec<String> = facts_of("settings.py", python).into_iter().filter(|f| f.contains(".import.")).collect();
    assert_eq!(
        facts,
        [
            "3:python.import.framework-setting django.db.backends.postgresql",
            "8:python.import.framework-setting django_redis.cache.RedisCache",
            "9:python.import.framework-setting django.core.mail.backends.smtp.EmailBackend",
            "10:python.import.framework-setting storages.backends.s3boto3.S3Boto3Storage",
        ],
        "\n{}",
        facts.join("\n")
    );
    let system = |module: &str| crate::scan::externals::by_package("pypi", module).map(|e| e.id.as_str());
    assert_eq!(system("django.db.backends.postgresql"), Some("postgres"));
    assert_eq!(system("django_redis.cache.RedisCache"), Some("redis"));
    assert_eq!(system("django.core.mail.backends.smtp.EmailBackend"), Some("smtp"));
    assert_eq!(system("storages.backends.s3boto3.S3Boto3Storage"), Some("s3"));
    assert_eq!(system("django.core.mail.backends.console.EmailBackend"), None);
}
