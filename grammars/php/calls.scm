; Calls with an env-shaped string first: reads, when the function is a wrapper.
; triggers: @env-shaped-call

((function_call_expression
   function: (name) @function
   arguments: (arguments . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)])))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @php.call.env-shaped

((member_call_expression
   name: (name) @function
   arguments: (arguments . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)])))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @php.call.env-shaped

((scoped_call_expression
   name: (name) @function
   arguments: (arguments . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)])))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @php.call.env-shaped
