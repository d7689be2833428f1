; Environment variable reads in Elixir (config/runtime.exs reads the
; deployment's environment this way when the release boots).
; triggers: System.get_env System.fetch_env

; System.get_env("X"), System.fetch_env!("X"), System.fetch_env("X")
((call
   target: (dot left: (alias) @_s right: (identifier) @_f)
   (arguments . (string . (quoted_content) @name .) .))
 (#eq? @_s "System") (#any-of? @_f "get_env" "fetch_env!" "fetch_env")) @elixir.env.system

; With a fallback: System.get_env("X", "d"), System.get_env("X") || "d"
((call
   target: (dot left: (alias) @_s right: (identifier) @_f)
   (arguments . (string . (quoted_content) @name .) . (_) @default))
 (#eq? @_s "System") (#eq? @_f "get_env")) @elixir.env.system

((binary_operator
   left: (call
     target: (dot left: (alias) @_s right: (identifier) @_f)
     (arguments . (string . (quoted_content) @name .) .))
   operator: "||"
   right: (_) @default)
 (#eq? @_s "System") (#eq? @_f "get_env")) @elixir.env.system
