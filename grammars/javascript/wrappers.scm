; (The first parameter is taken whole, `name: string = "x"` in TypeScript;
; its leading identifier is the name.)
; Functions that read the env var their first parameter names: each call
; of one with an env-shaped literal is a read (see calls.scm).
; triggers: process.env

(function_declaration
  name: (identifier) @function
  parameters: (formal_parameters . (_) @param)) @js.wrapper.function

(variable_declarator
  name: (identifier) @function
  value: [
    (arrow_function parameters: (formal_parameters . (_) @param))
    (arrow_function parameter: (identifier) @param)
    (function_expression parameters: (formal_parameters . (_) @param))
  ]) @js.wrapper.arrow

; process.env[name]
((subscript_expression
   object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
   index: (identifier) @param)
 (#eq? @_p "process") (#eq? @_env "env")) @js.envarg.process-env-index
