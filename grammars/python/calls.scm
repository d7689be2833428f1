; Calls with an env-shaped string first: reads, when the function is a wrapper.
; triggers: @env-shaped-call

((call
   function: [(identifier) @function (attribute attribute: (identifier) @function)]
   arguments: (argument_list . (string (string_content) @name)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @python.call.env-shaped
