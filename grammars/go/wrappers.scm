; Functions that read the env var their first parameter names: each call
; of one with an env-shaped literal is a read (see calls.scm).
; triggers: Getenv LookupEnv

(function_declaration
  name: (identifier) @function
  parameters: (parameter_list . (parameter_declaration . name: (identifier) @param))) @go.wrapper.function

; os.Getenv(key), os.LookupEnv(key)
((call_expression
   function: (selector_expression field: (field_identifier) @_f)
   arguments: (argument_list . (identifier) @param))
 (#any-of? @_f "Getenv" "LookupEnv")) @go.envarg.getenv
