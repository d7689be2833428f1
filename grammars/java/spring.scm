; Spring placeholders in annotations: @Value("${DB_URL}"), @Value("${PORT:8080}").
; Spring resolves an upper-case placeholder from the environment.
; triggers: @Value

((annotation
   name: (identifier) @_v
   arguments: (annotation_argument_list [
     (string_literal (string_fragment) @placeholder)
     (element_value_pair key: (identifier) @_k value: (string_literal (string_fragment) @placeholder))
   ]))
 (#eq? @_v "Value")
 (#match? @placeholder "^\\$\\{[A-Z_][A-Z0-9_]*(:.*)?\\}$")) @java.env.spring-value
