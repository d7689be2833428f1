; Calls with an env-shaped string first: reads, when the method is a wrapper.
; triggers: @env-shaped-call @env-shaped-word

((call
   method: (identifier) @function
   arguments: (argument_list . (string (string_content) @name)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @ruby.call.env-shaped
