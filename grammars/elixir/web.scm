; Elixir web endpoints and the ports they listen on.
; triggers: Phoenix.Endpoint Plug.Cowboy Bandit port:

; use Phoenix.Endpoint, otp_app: :app
((call
   target: (identifier) @_use
   (arguments . (alias) @_e))
 (#eq? @_use "use") (#eq? @_e "Phoenix.Endpoint")) @elixir.framework.phoenix

; {Plug.Cowboy, scheme: :http, plug: App, options: [port: 4001]}, {Bandit, plug: App, port: 4000}
((tuple . (alias) @_server)
 (#any-of? @_server "Plug.Cowboy" "Bandit")) @elixir.framework.plug

; config :app, AppWeb.Endpoint, http: [port: 4000] / http: [port: String.to_integer(System.get_env("PORT") || "4000")]
((pair
   key: (keyword) @_http
   value: (list (keywords (pair
     key: (keyword) @_port
     value: [
       (integer) @port
       (call (arguments . [
         (call (arguments . (string (quoted_content) @name) . (string (quoted_content) @port)?))
         (binary_operator
           left: (call (arguments . (string (quoted_content) @name)))
           right: (string (quoted_content) @port))
       ]))
     ]))))
 (#match? @_http "^https?: ") (#eq? @_port "port: ")) @elixir.listen.endpoint-port
