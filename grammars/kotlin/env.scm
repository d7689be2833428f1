; Environment variable reads in Kotlin.
; triggers: getenv

; System.getenv("X")
((call_expression
   (navigation_expression (identifier) @_s (identifier) @_f)
   (value_arguments . (value_argument (string_literal . (string_content) @name .)) .))
 (#eq? @_s "System") (#eq? @_f "getenv")) @kotlin.env.getenv

; System.getenv()["X"]
((index_expression
   (call_expression
     (navigation_expression (identifier) @_s (identifier) @_f)
     (value_arguments) @_none)
   (string_literal . (string_content) @name .))
 (#eq? @_s "System") (#eq? @_f "getenv") (#eq? @_none "()")) @kotlin.env.getenv

; With a fallback: System.getenv("X") ?: "d", System.getenv("X")?.toInt() ?: 8080
((binary_expression
   left: [
     (call_expression
       (navigation_expression (identifier) @_s (identifier) @_f)
       (value_arguments . (value_argument (string_literal . (string_content) @name .)) .))
     (call_expression
       (navigation_expression
         (call_expression
           (navigation_expression (identifier) @_s (identifier) @_f)
           (value_arguments . (value_argument (string_literal . (string_content) @name .)) .))))
   ]
   "?:"
   right: (_) @default)
 (#eq? @_s "System") (#eq? @_f "getenv")) @kotlin.env.getenv
