; Modules an Elixir library loads by the name its configuration gives:
; `config :app, App.Mailer, adapter: Swoosh.Adapters.Mailgun`,
; `config :app, App.Repo, adapter: Ecto.Adapters.Postgres`. Each is a use of
; the system the adapter speaks to, mapped by grammars/externals.toml like
; an import (hex entries that name adapter modules).
; triggers: adapter:

((pair
   key: (keyword) @_key
   value: (alias) @module)
 (#match? @_key "^adapter: *$")) @elixir.import.framework-setting
