; Functions that read the env var their first parameter names: each call
; of one with an env-shaped literal is a read (see calls.scm).
; triggers: System.get_env System.fetch_env

; def get_boolean(key, default \\ false) do … end / defp int(key), do: …
((call
   target: (identifier) @_def
   (arguments . (call
     target: (identifier) @function
     (arguments . [(identifier) @param (binary_operator left: (identifier) @param)]))))
 (#any-of? @_def "def" "defp")) @elixir.wrapper.def

; With a guard: def get_boolean(key, default) when is_boolean(default) do … end
((call
   target: (identifier) @_def
   (arguments . (binary_operator
     left: (call
       target: (identifier) @function
       (arguments . [(identifier) @param (binary_operator left: (identifier) @param)]))
     operator: "when")))
 (#any-of? @_def "def" "defp")) @elixir.wrapper.def

; System.get_env(key), System.fetch_env!(key)
((call
   target: (dot left: (alias) @_s right: (identifier) @_f)
   (arguments . (identifier) @param))
 (#eq? @_s "System") (#any-of? @_f "get_env" "fetch_env!" "fetch_env")) @elixir.envarg.system
