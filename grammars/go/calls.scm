; Calls with an env-shaped string first: reads, when the function is a wrapper.
; triggers: @env-shaped-call

((call_expression
   function: [(identifier) @function (selector_expression field: (field_identifier) @function)]
   arguments: (argument_list . (interpreted_string_literal (interpreted_string_literal_content) @name)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @go.call.env-shaped
