; The env record kept under another name, and reads through that name:
; `const env = process.env`, `export default withSecrets(process.env)`,
; then `env.DATABASE_URL` here or wherever the name is imported. The two
; meet in inference, where imports are resolved to files.
; Which files are worth a parse for these rules alone: those that hold
; the record, and those that import a module whose name says it holds the
; configuration (`./utils/environment`, `@/config`, `../env`). Parsing every
; file with an upper-case member (`React.Component`) would more than double
; the files parsed in a TypeScript tree.
; triggers: process.env
; triggers: env" env' env` Env" Env' environment" environment' config" config' Config" Config' settings" settings' Settings" Settings'

; const env = process.env; const env = withSecrets(process.env); const env = { ...process.env }
(variable_declarator
  name: (identifier) @function
  value: [
    (member_expression object: (identifier) @_p property: (property_identifier) @_env)
    (call_expression
      arguments: (arguments . (member_expression object: (identifier) @_p property: (property_identifier) @_env)))
    (object (spread_element (member_expression object: (identifier) @_p property: (property_identifier) @_env)))
  ]
  (#eq? @_p "process") (#eq? @_env "env")) @js.envrecord.alias

; export default process.env; export default withSecrets(process.env)
(export_statement
  value: [
    (member_expression object: (identifier) @_p property: (property_identifier) @_env)
    (call_expression
      arguments: (arguments . (member_expression object: (identifier) @_p property: (property_identifier) @_env)))
  ]
  (#eq? @_p "process") (#eq? @_env "env")) @js.envrecord.default-export

; import env from "./environment"
(import_statement
  (import_clause (identifier) @function)
  source: (string (string_fragment) @module)) @js.binding.default-import

; import { env } from "./config"; import { env as e } from "./config"
(import_statement
  (import_clause (named_imports (import_specifier name: (identifier) @param !alias)))
  source: (string (string_fragment) @module)) @js.binding.named-import
(import_statement
  (import_clause (named_imports (import_specifier name: (identifier) @param alias: (identifier) @function)))
  source: (string (string_fragment) @module)) @js.binding.named-import

; env.DATABASE_URL
((member_expression object: (identifier) @function property: (property_identifier) @name)
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @js.member.env-shaped

; const { DATABASE_URL, PORT: port } = env
(variable_declarator
  name: (object_pattern [
    (shorthand_property_identifier_pattern) @name
    (pair_pattern key: (property_identifier) @name)
    (object_assignment_pattern left: (shorthand_property_identifier_pattern) @name)
  ] @js.member.destructure)
  value: (identifier) @function)
