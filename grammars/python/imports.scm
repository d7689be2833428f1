; Imports, mapped to external systems by grammars/externals.toml.
; triggers: @packages

(import_statement name: [(dotted_name) @module (aliased_import name: (dotted_name) @module)]) @python.import.module

(import_from_statement module_name: (dotted_name) @module) @python.import.from
