; Environment variable reads in Scala.
; triggers: sys.env getenv envOrElse envOrNone

; sys.env("X"), sys.env.get("X"), System.getenv("X"), Properties.envOrNone("X")
((call_expression
   function: (field_expression value: (identifier) @_s field: (identifier) @_f)
   arguments: (arguments . (string) @name .))
 (#eq? @_s "sys") (#eq? @_f "env")) @scala.env.sys-env

((call_expression
   function: (field_expression
     value: (field_expression value: (identifier) @_s field: (identifier) @_e)
     field: (identifier) @_f)
   arguments: (arguments . (string) @name .))
 (#eq? @_s "sys") (#eq? @_e "env") (#any-of? @_f "get" "contains")) @scala.env.sys-env

((call_expression
   function: (field_expression value: (identifier) @_s field: (identifier) @_f)
   arguments: (arguments . (string) @name .))
 (#eq? @_s "System") (#eq? @_f "getenv")) @scala.env.getenv

((call_expression
   function: (field_expression field: (identifier) @_f)
   arguments: (arguments . (string) @name .))
 (#eq? @_f "envOrNone")) @scala.env.properties

; With a fallback: sys.env.getOrElse("X", "d"), Properties.envOrElse("X", "d")
((call_expression
   function: (field_expression
     value: (field_expression value: (identifier) @_s field: (identifier) @_e)
     field: (identifier) @_f)
   arguments: (arguments . (string) @name . (_) @default))
 (#eq? @_s "sys") (#eq? @_e "env") (#eq? @_f "getOrElse")) @scala.env.sys-env

((call_expression
   function: (field_expression field: (identifier) @_f)
   arguments: (arguments . (string) @name . (_) @default))
 (#eq? @_f "envOrElse")) @scala.env.properties
