; Functions and methods that read the env var their first parameter names:
; each call of one with an env-shaped literal is a read (see calls.scm).
; triggers: getenv env( $_ENV $_SERVER

(function_definition
  name: (name) @function
  parameters: (formal_parameters . (simple_parameter name: (variable_name (name) @param)))) @php.wrapper.function

(method_declaration
  name: (name) @function
  parameters: (formal_parameters . (simple_parameter name: (variable_name (name) @param)))) @php.wrapper.method

; getenv($name), env($name)
((function_call_expression
   function: [(name) @_f (qualified_name (name) @_f)]
   arguments: (arguments . (argument (variable_name (name) @param))))
 (#any-of? @_f "getenv" "env")) @php.envarg.call

; $_ENV[$name], $_SERVER[$name]
((subscript_expression
   (variable_name (name) @_v)
   (variable_name (name) @param))
 (#any-of? @_v "_ENV" "_SERVER")) @php.envarg.superglobal
