; Imports, mapped to external systems by grammars/externals.toml (Maven coordinates' groups).
; triggers: @packages

(import (qualified_identifier) @module) @kotlin.import.package
