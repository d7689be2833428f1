; Imports, mapped to external systems by grammars/externals.toml.
; triggers: @packages

(import_spec path: (interpreted_string_literal (interpreted_string_literal_content) @module)) @go.import.package
