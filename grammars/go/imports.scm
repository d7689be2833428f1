; Imports, mapped to external systems by grammars/externals.toml.
; triggers: import

(import_spec path: (interpreted_string_literal (interpreted_string_literal_content) @module)) @go.import.package
