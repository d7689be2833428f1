; Environment variable reads in PHP.
; triggers: getenv env( $_ENV $_SERVER

; getenv('X'), \getenv('X'), env('X') (Laravel's helper, in config/*.php and
; everywhere else: it reads the process environment after `.env` is loaded)
((function_call_expression
   function: [(name) @_f (qualified_name (name) @_f)]
   arguments: (arguments . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)]) .))
 (#any-of? @_f "getenv" "env")) @php.env.call

; env('X', 'default'), getenv('X') ?: 'default', getenv('X') ?? 'default'
((function_call_expression
   function: [(name) @_f (qualified_name (name) @_f)]
   arguments: (arguments
     . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)])
     . (argument (_) @default)))
 (#eq? @_f "env")) @php.env.call

((binary_expression
   left: (function_call_expression
     function: [(name) @_f (qualified_name (name) @_f)]
     arguments: (arguments . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)]) .))
   right: (_) @default)
 (#any-of? @_f "getenv" "env")) @php.env.call

((conditional_expression
   condition: (function_call_expression
     function: [(name) @_f (qualified_name (name) @_f)]
     arguments: (arguments . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)]) .))
   !body
   alternative: (_) @default)
 (#any-of? @_f "getenv" "env")) @php.env.call

; $_ENV['X'], $_SERVER['X'], and with a fallback: $_ENV['X'] ?? 'default'
((subscript_expression
   (variable_name (name) @_v)
   [(string (string_content) @name) (encapsed_string (string_content) @name)])
 (#any-of? @_v "_ENV" "_SERVER")) @php.env.superglobal

((binary_expression
   left: (subscript_expression
     (variable_name (name) @_v)
     [(string (string_content) @name) (encapsed_string (string_content) @name)])
   operator: "??"
   right: (_) @default)
 (#any-of? @_v "_ENV" "_SERVER")) @php.env.superglobal
