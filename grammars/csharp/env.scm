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

; Configuration keys. ASP.NET Core configuration also reads each key from
; the env var of the same name, `:` spelled `__` (`Identity__Url`), which
; inference matches against the variables a deployment defines.

; configuration["Identity:Url"], builder.Configuration["IdentityUrl"]
((element_access_expression
   expression: [(identifier) @_cfg (member_access_expression name: (identifier) @_cfg)]
   subscript: (bracketed_argument_list . (argument . (string_literal . (string_literal_content) @key .)) .))
 (#match? @_cfg "^_?[cC]onfig(uration)?$")) @csharp.config.configuration-index

; configuration.GetValue<bool>("UseHttps"), configuration.GetSection("Identity"), GetRequiredValue("X")
((invocation_expression
   function: (member_access_expression
     expression: [(identifier) @_cfg (member_access_expression name: (identifier) @_cfg)]
     name: [(identifier) @_m (generic_name (identifier) @_m)])
   arguments: (argument_list . (argument . (string_literal . (string_literal_content) @key .))))
 (#match? @_cfg "^_?[cC]onfig(uration)?$")
 (#any-of? @_m "GetValue" "GetSection" "GetRequiredSection" "GetRequiredValue")) @csharp.config.configuration-get

; configuration.GetConnectionString("catalogdb"): the key `ConnectionStrings:catalogdb`
((invocation_expression
   function: (member_access_expression
     expression: [(identifier) @_cfg (member_access_expression name: (identifier) @_cfg)]
     name: (identifier) @_m)
   arguments: (argument_list . (argument . (string_literal . (string_literal_content) @key .))))
 (#match? @_cfg "^_?[cC]onfig(uration)?$")
 (#any-of? @_m "GetConnectionString" "GetRequiredConnectionString")
 (#set! section "ConnectionStrings")) @csharp.config.connection-string

; Reads with a fallback: Environment.GetEnvironmentVariable("X") ?? "d".
((binary_expression
   left: (invocation_expression
     function: (member_access_expression
       expression: [(identifier) @_env (member_access_expression name: (identifier) @_env)]
       name: (identifier) @_m)
     arguments: (argument_list . (argument . (string_literal . (string_literal_content) @name .))))
   operator: "??"
   right: (_) @default)
 (#eq? @_env "Environment") (#eq? @_m "GetEnvironmentVariable")) @csharp.env.get-environment-variable
