; Environment variable reads in Ruby.
; triggers: ENV

; ENV["X"], ::ENV["X"]
((element_reference
   object: [(constant) @_env (scope_resolution !scope name: (constant) @_env)]
   . (string . (string_content) @name .) .)
 (#eq? @_env "ENV")) @ruby.env.index

; ENV.fetch("X"), ENV.fetch("X", default), ENV.fetch("X") { default }, ENV.key?("X")
((call
   receiver: [(constant) @_env (scope_resolution !scope name: (constant) @_env)]
   method: (identifier) @_m
   arguments: (argument_list . (string . (string_content) @name .)))
 (#eq? @_env "ENV")
 (#any-of? @_m "fetch" "key?" "has_key?" "include?" "member?")) @ruby.env.fetch

; Reads with a fallback: ENV.fetch("X", "d"), ENV.fetch("X") { "d" }, ENV["X"] || "d".
((call
   receiver: [(constant) @_env (scope_resolution !scope name: (constant) @_env)]
   method: (identifier) @_m
   arguments: (argument_list . (string . (string_content) @name .) . (_) @default))
 (#eq? @_env "ENV")
 (#eq? @_m "fetch")) @ruby.env.fetch

((call
   receiver: [(constant) @_env (scope_resolution !scope name: (constant) @_env)]
   method: (identifier) @_m
   arguments: (argument_list . (string . (string_content) @name .))
   block: (_) @default)
 (#eq? @_env "ENV")
 (#eq? @_m "fetch")) @ruby.env.fetch

((binary
   left: (element_reference
     object: [(constant) @_env (scope_resolution !scope name: (constant) @_env)]
     . (string . (string_content) @name .) .)
   operator: "||"
   right: (_) @default)
 (#eq? @_env "ENV")) @ruby.env.index
