; Methods that read the env var their first parameter names: each call
; of one with an env-shaped literal is a read (see calls.scm).
; triggers: getenv

(method_declaration
  name: (identifier) @function
  parameters: (formal_parameters . (formal_parameter name: (identifier) @param))) @java.wrapper.method

; System.getenv(name)
((method_invocation
   name: (identifier) @_m
   arguments: (argument_list . (identifier) @param))
 (#eq? @_m "getenv")) @java.envarg.getenv
