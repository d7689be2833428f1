; Imports and requires, mapped to external systems by grammars/externals.toml.
; triggers: @packages

(import_statement source: (string (string_fragment) @module)) @js.import.esm

((call_expression
   function: [(identifier) @_r (import)]
   arguments: (arguments . (string (string_fragment) @module)))
 (#any-of? @_r "require")) @js.import.require

((call_expression
   function: (import)
   arguments: (arguments . (string (string_fragment) @module)))) @js.import.dynamic
