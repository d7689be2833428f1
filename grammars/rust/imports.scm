; use declarations, mapped to external systems by grammars/externals.toml.
; The module is the crate: the path's first segment (`use stripe::Client;` → stripe).
; `use crate::…`, `self::…` and `super::…` are local and not reported.
; triggers: @packages

((use_declaration
   argument: [
     (identifier) @module
     (_ path: (identifier) @module)
     (_ path: (_ path: (identifier) @module))
     (_ path: (_ path: (_ path: (identifier) @module)))
     (_ path: (_ path: (_ path: (_ path: (identifier) @module))))
     (_ path: (_ path: (_ path: (_ path: (_ path: (identifier) @module)))))
     (_ path: (_ path: (_ path: (_ path: (_ path: (_ path: (identifier) @module))))))
     (use_wildcard . [
       (identifier) @module
       (_ path: (identifier) @module)
       (_ path: (_ path: (identifier) @module))
       (_ path: (_ path: (_ path: (identifier) @module)))
       (_ path: (_ path: (_ path: (_ path: (identifier) @module))))
     ])
   ])) @rust.import.use

; use ::serde::Deserialize; (leading `::` names a crate too)
((use_declaration
   argument: [
     (scoped_identifier !path name: (identifier) @module)
     (_ path: (scoped_identifier !path name: (identifier) @module))
     (_ path: (_ path: (scoped_identifier !path name: (identifier) @module)))
     (_ path: (_ path: (_ path: (scoped_identifier !path name: (identifier) @module))))
   ])) @rust.import.use

; use {serde, tokio}; (a brace list at the root)
(use_declaration argument: (use_list [
  (identifier) @module
  (_ path: (identifier) @module)
  (_ path: (_ path: (identifier) @module))
]) @rust.import.use)

; extern crate redis;
(extern_crate_declaration name: (identifier) @module) @rust.import.extern-crate
