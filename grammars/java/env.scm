; Environment variable reads in Java.
; triggers: getenv

; System.getenv("X"), and getenv("X") after `import static java.lang.System.getenv`
((method_invocation
   object: (identifier) @_sys
   name: (identifier) @_m
   arguments: (argument_list . (string_literal . (string_fragment) @name .)))
 (#eq? @_sys "System") (#eq? @_m "getenv")) @java.env.system-getenv

((method_invocation
   !object
   name: (identifier) @_m
   arguments: (argument_list . (string_literal . (string_fragment) @name .)))
 (#eq? @_m "getenv")) @java.env.system-getenv

; System.getenv().get("X"), .getOrDefault("X", …), .containsKey("X")
(method_invocation
   object: (method_invocation
     object: (identifier) @_sys
     name: (identifier) @_m)
   name: (identifier) @_get
   arguments: (argument_list . (string_literal . (string_fragment) @name .)) @java.env.system-getenv-map
 (#eq? @_sys "System") (#eq? @_m "getenv")
 (#any-of? @_get "get" "getOrDefault" "containsKey"))
