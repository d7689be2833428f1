//! elixir rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: `Application.get_env` (the application's own
/// configuration, not the process environment), a commented-out read and an
/// env-shaped plain string.
#[test]
fn elixir_rules() {
    let source = r#"import Config
config :app, App.Repo,
  url: System.get_env("DATABASE_URL"),
  pool_size: String.to_integer(System.get_env("POOL_SIZE") || "10"),
  host: System.fetch_env!("PHX_HOST"),
  other: System.get_env("OTHER", "fallback")
x = Application.get_env(:app, :x)
# System.get_env("COMMENTED_OUT")
y = "NOT_A_READ"
config :app, AppWeb.Endpoint,
  http: [port: String.to_integer(System.get_env("PORT") || "4000")]
config :app, Admin.Endpoint, http: [port: 4001]
defmodule AppWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :app
end
children = [{Bandit, plug: Router, scheme: :http}]
url = "https://api.github.com/repos"
"#;
    let facts = facts_of("config/runtime.exs", source);
    let expected = [
        "3:elixir.env.system DATABASE_URL",
        "4:elixir.env.system POOL_SIZE?10",
        "5:elixir.env.system PHX_HOST",
        "6:elixir.env.system OTHER?fallback",
        "11:elixir.env.system PORT?4000",
        "11:elixir.listen.endpoint-port 4000",
        "12:elixir.listen.endpoint-port 4001",
        "14:elixir.framework.phoenix phoenix",
        "16:elixir.framework.plug plug",
        "17:elixir.literal.url https://api.github.com/repos",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

/// An adapter module a configuration names is loaded by its library: a use
/// of the system it speaks to. Another keyword's module is not.
#[test]
fn elixir_configured_adapters_are_imports() {
    let source = "import Config\nconfig :app, App.Mailer, adapter: Swoosh.Adapters.Mailgun, api_key: \"k\"\nconfig :app, App.Repo,\n  adapter: Ecto.Adapters.Postgres,\n  migration_primary_key: [type: :binary_id]\nconfig :app, App.Cache, backend: Nebulex.Adapters.Local\n";
    let facts = facts_of("config/config.exs", source);
    assert_eq!(
        facts,
        [
            "2:elixir.import.framework-setting Swoosh.Adapters.Mailgun",
            "4:elixir.import.framework-setting Ecto.Adapters.Postgres",
        ],
        "\n{}",
        facts.join("\n")
    );
}
