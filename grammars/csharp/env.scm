; Environment variable and configuration reads in C#.
; triggers: GetEnvironmentVariable onfig

; Environment.GetEnvironmentVariable("X"), System.Environment.GetEnvironmentVariable("X", target)
((invocation_expression
   function: (member_access_expression
     expression: [(identifier) @_env (member_access_expression name: (identifier) @_env)]
     name: (identifier) @_m)
   arguments: (argument_list . (argument . (string_literal . (string_literal_content) @name .))))
 (#eq? @_env "Environment") (#eq? @_m "GetEnvironmentVariable")) @csharp.env.get-environment-variable

; configuration["X"], Configuration["X"], _config["X"], builder.Configuration["X"]
; (IConfiguration reads env vars; only env-shaped upper-case keys count, so
; "ConnectionStrings:Db" and "Logging" are left out)
((element_access_expression
   expression: [(identifier) @_cfg (member_access_expression name: (identifier) @_cfg)]
   subscript: (bracketed_argument_list . (argument . (string_literal . (string_literal_content) @name .)) .))
 (#match? @_cfg "^_?[cC]onfig(uration)?$")
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @csharp.env.configuration-index

; configuration.GetValue<string>("X"), builder.Configuration.GetValue<int>("X", 3)
((invocation_expression
   function: (member_access_expression
     expression: [(identifier) @_cfg (member_access_expression name: (identifier) @_cfg)]
     name: (generic_name (identifier) @_m))
   arguments: (argument_list . (argument . (string_literal . (string_literal_content) @name .))))
 (#match? @_cfg "^_?[cC]onfig(uration)?$")
 (#eq? @_m "GetValue")
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @csharp.env.configuration-get-value
