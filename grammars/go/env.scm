; Environment variable reads in Go.
; triggers: Getenv LookupEnv Env env env:" envconfig:"

; os.Getenv("X"), os.LookupEnv("X"), syscall.Getenv("X")
((call_expression
   function: (selector_expression operand: (identifier) @_os field: (field_identifier) @_fn)
   arguments: (argument_list . (interpreted_string_literal (interpreted_string_literal_content) @name)))
 (#any-of? @_os "os" "syscall")
 (#any-of? @_fn "Getenv" "LookupEnv")) @go.env.os-getenv

; Helpers wrapping os.Getenv: getEnv("X", "d"), mustMapEnv(&v, "X"), envOr("X", …)
((call_expression
   function: [(identifier) @_fn (selector_expression field: (field_identifier) @_fn)]
   arguments: (argument_list (interpreted_string_literal (interpreted_string_literal_content) @name)))
 (#match? @_fn "[Ee]nv")
 (#not-any-of? @_fn "Getenv" "LookupEnv" "Setenv" "Unsetenv")
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @go.env.helper

; Struct tags of env-binding libraries: `env:"PORT"` (caarlos0/env), `envconfig:"PORT"` (envconfig)
((field_declaration
   tag: (raw_string_literal (raw_string_literal_content) @struct_tag))
 (#match? @struct_tag "(^|[ ])(env|envconfig):\"")) @go.env.struct-tag
