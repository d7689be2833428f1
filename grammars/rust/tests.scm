; Test code inside production files: facts found within these regions are
; dropped (Rust keeps unit tests in `#[cfg(test)] mod tests { … }`).
; triggers: cfg(test)

((attribute_item
   (attribute (identifier) @_cfg arguments: (token_tree (identifier) @_test)))
 .
 (mod_item) @exclude
 (#eq? @_cfg "cfg") (#eq? @_test "test"))
