; ASP.NET Core hosting and the ports Kestrel listens on.
; triggers: WebApplication WebHost Listen

; WebApplication.CreateBuilder(args), .CreateSlimBuilder(args), .Create(args) (minimal hosting)
((invocation_expression
   function: (member_access_expression expression: (identifier) @_w name: (identifier) @_c))
 (#eq? @_w "WebApplication")
 (#any-of? @_c "CreateBuilder" "CreateSlimBuilder" "CreateEmptyBuilder" "Create")) @csharp.framework.aspnet

; Host.CreateDefaultBuilder(args).ConfigureWebHostDefaults(…) / WebHost.CreateDefaultBuilder(args) (Startup-class hosting)
(invocation_expression
   function: (member_access_expression name: (identifier) @_c)
   arguments: (argument_list) @csharp.framework.aspnet-webhost
 (#eq? @_c "ConfigureWebHostDefaults"))

((invocation_expression
   function: (member_access_expression expression: (identifier) @_w name: (identifier) @_c))
 (#eq? @_w "WebHost") (#eq? @_c "CreateDefaultBuilder")) @csharp.framework.aspnet-webhost

; Kestrel: options.ListenAnyIP(5000), ListenLocalhost(5000), Listen(IPAddress.Any, 5000)
(invocation_expression
   function: (member_access_expression name: (identifier) @_l)
   arguments: (argument_list . (argument . (integer_literal) @port)) @csharp.listen.kestrel
 (#any-of? @_l "ListenAnyIP" "ListenLocalhost"))

(invocation_expression
   function: (member_access_expression name: (identifier) @_l)
   arguments: (argument_list . (argument) . (argument . (integer_literal) @port)) @csharp.listen.kestrel
 (#eq? @_l "Listen"))
