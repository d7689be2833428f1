; Spring placeholders in Kotlin annotations: @Value("\${DB_URL}"),
; @Value("\${PORT:8080}") (Kotlin escapes the `$` of a placeholder).
; Spring resolves an upper-case placeholder from the environment.
; triggers: @Value

((annotation
   (constructor_invocation
     (user_type (identifier) @_v)
     (value_arguments (value_argument (string_literal (escape_sequence) @_e . (string_content) @placeholder)))))
 (#eq? @_v "Value")
 (#eq? @_e "\\$")
 (#match? @placeholder "^\\{[A-Z_][A-Z0-9_]*(:.*)?\\}$")) @kotlin.env.spring-value
