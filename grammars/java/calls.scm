; Calls with an env-shaped string first: reads, when the method is a wrapper.
; triggers: @env-shaped-call

((method_invocation
   name: (identifier) @function
   arguments: (argument_list . (string_literal (string_fragment) @name)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @java.call.env-shaped
