; Spring placeholders in annotations: @Value("${DB_URL}"), @Value("${PORT:8080}"),
; @Value("http://${CART_ADDR}/cart"). Spring resolves each upper-case
; placeholder of the string from the environment.
; triggers: @Value
; triggers: @ConfigurationProperties getProperty getRequiredProperty

((annotation
   name: (identifier) @_v
   arguments: (annotation_argument_list [
     (string_literal (string_fragment) @placeholder)
     (element_value_pair key: (identifier) @_k value: (string_literal (string_fragment) @placeholder))
   ]))
 (#eq? @_v "Value")
 (#match? @placeholder "\\$\\{[A-Z_][A-Z0-9_]*(:[^}]*)?\\}")) @java.env.spring-value

; Configuration keys. Spring binds each from an env var of the relaxed
; form too (`retail.db.url` from RETAIL_DB_URL), which inference matches
; against the variables a deployment defines.

; @Value("${retail.db.url}"), @Value("${retail.db.pool:10}")
((annotation
   name: (identifier) @_v
   arguments: (annotation_argument_list [
     (string_literal (string_fragment) @key)
     (element_value_pair key: (identifier) @_k value: (string_literal (string_fragment) @key))
   ]))
 (#eq? @_v "Value")
 (#match? @key "^\\$\\{[a-z][a-zA-Z0-9._-]*(:.*)?\\}$")) @java.config.spring-value

; @ConfigurationProperties("retail.db"), @ConfigurationProperties(prefix = "retail.db"):
; every key below the prefix is bound.
((annotation
   name: (identifier) @_a
   arguments: (annotation_argument_list [
     (string_literal (string_fragment) @key)
     (element_value_pair key: (identifier) @_k value: (string_literal (string_fragment) @key))
   ]))
 (#eq? @_a "ConfigurationProperties")) @java.config.configuration-properties

; The same annotation on a record or a class binds its components or
; fields: `yas.services.media` for `record ServiceUrlConfig(String media)`
; (the bare prefix of the same line is then dropped).
((record_declaration
   (modifiers
     (annotation
       name: (identifier) @_a
       arguments: (annotation_argument_list [
         (string_literal (string_fragment) @key)
         (element_value_pair key: (identifier) @_k value: (string_literal (string_fragment) @key))
       ])))
   parameters: (formal_parameters (formal_parameter name: (identifier) @member)))
 (#eq? @_a "ConfigurationProperties")) @java.config.configuration-properties-member

((class_declaration
   (modifiers
     (annotation
       name: (identifier) @_a
       arguments: (annotation_argument_list [
         (string_literal (string_fragment) @key)
         (element_value_pair key: (identifier) @_k value: (string_literal (string_fragment) @key))
       ])))
   body: (class_body
     (field_declaration
       (modifiers)? @_field_modifiers
       declarator: (variable_declarator name: (identifier) @member))))
 (#eq? @_a "ConfigurationProperties")
 (#not-match? @_field_modifiers "static")) @java.config.configuration-properties-member

; environment.getProperty("retail.db.url"), env.getRequiredProperty("x.y", Integer.class)
((method_invocation
   name: (identifier) @_m
   arguments: (argument_list . (string_literal (string_fragment) @key)))
 (#any-of? @_m "getProperty" "getRequiredProperty")
 (#match? @key "^[a-z][a-zA-Z0-9_-]*[.][a-zA-Z0-9._-]+$")) @java.config.environment-get-property
