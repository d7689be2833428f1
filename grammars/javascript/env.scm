; Environment variable reads in JavaScript and TypeScript.
; triggers: process.env import.meta.env Deno.env

; process.env.X
((member_expression
   object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
   property: (property_identifier) @name)
 (#eq? @_p "process") (#eq? @_env "env")) @js.env.process-env

; process.env["X"]
((subscript_expression
   object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
   index: (string (string_fragment) @name))
 (#eq? @_p "process") (#eq? @_env "env")) @js.env.process-env-index

; const { X, Y: y = 1 } = process.env
(variable_declarator
  name: (object_pattern [
    (shorthand_property_identifier_pattern) @name
    (pair_pattern key: (property_identifier) @name)
    (object_assignment_pattern left: (shorthand_property_identifier_pattern) @name)
  ] @js.env.destructure)
  value: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
  (#eq? @_p "process") (#eq? @_env "env"))

; import.meta.env.VITE_X
((member_expression
   object: (member_expression object: (meta_property) property: (property_identifier) @_env)
   property: (property_identifier) @name)
 (#eq? @_env "env")) @js.env.import-meta-env

; Deno.env.get("X")
((call_expression
   function: (member_expression
     object: (member_expression object: (identifier) @_deno property: (property_identifier) @_env)
     property: (property_identifier) @_get)
   arguments: (arguments . (string (string_fragment) @name)))
 (#eq? @_deno "Deno") (#eq? @_env "env") (#eq? @_get "get")) @js.env.deno

; Reads with a fallback: process.env.X || "d", process.env.X ?? "d".
((binary_expression
   left: (member_expression
     object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
     property: (property_identifier) @name)
   operator: ["||" "??"]
   right: (_) @default)
 (#eq? @_p "process") (#eq? @_env "env")) @js.env.process-env
