; Environment variable reads in C++.
; triggers: getenv

; getenv("X"), secure_getenv("X"), std::getenv("X")
((call_expression
   function: [(identifier) @_f (qualified_identifier name: (identifier) @_f)]
   arguments: (argument_list . (string_literal . (string_content) @name .) .))
 (#any-of? @_f "getenv" "secure_getenv")) @cpp.env.getenv
