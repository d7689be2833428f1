; Calls with an env-shaped string first: reads, when the function is a wrapper.
; triggers: @env-shaped-call

((call_expression
   function: [(identifier) @function (member_expression property: (property_identifier) @function)]
   arguments: (arguments . (string (string_fragment) @name)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @js.call.env-shaped
