; PHP web frameworks, found in the code that boots them.
; triggers: Application AppFactory Kernel Slim

; Laravel 11+: Application::configure(basePath: …); earlier: new Illuminate\Foundation\Application(…)
((scoped_call_expression scope: (name) @_a name: (name) @_c)
 (#eq? @_a "Application") (#eq? @_c "configure")) @php.framework.laravel

((object_creation_expression
   (qualified_name prefix: (namespace_name) @_ns (name) @_a))
 (#eq? @_ns "Illuminate\\Foundation") (#eq? @_a "Application")) @php.framework.laravel

; Slim 4: AppFactory::create(); Slim 3: new \Slim\App(…)
((scoped_call_expression scope: (name) @_f name: (name) @_c)
 (#eq? @_f "AppFactory") (#eq? @_c "create")) @php.framework.slim

((object_creation_expression
   (qualified_name prefix: (namespace_name) @_ns (name) @_a))
 (#eq? @_ns "Slim") (#eq? @_a "App")) @php.framework.slim

; Symfony: class Kernel extends BaseKernel (Symfony\Component\HttpKernel\Kernel)
((class_declaration
   (base_clause (name) @_base))
 (#eq? @_base "BaseKernel")) @php.framework.symfony
