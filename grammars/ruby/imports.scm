; requires, mapped to external systems by grammars/externals.toml.
; require_relative loads the project's own files and is not reported.
; triggers: @packages

((call
   !receiver
   method: (identifier) @_req
   arguments: (argument_list . (string . (string_content) @module .) .))
 (#eq? @_req "require")) @ruby.import.require
