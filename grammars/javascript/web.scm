; Web frameworks and the ports Node servers listen on.
; triggers: express Fastify fastify Koa NestFactory Hono listen createServer

((call_expression function: (identifier) @_f) (#eq? @_f "express")) @js.framework.express
((call_expression function: (identifier) @_f) (#any-of? @_f "fastify" "Fastify")) @js.framework.fastify
((new_expression constructor: (identifier) @_f) (#eq? @_f "Koa")) @js.framework.koa
((new_expression constructor: (identifier) @_f) (#eq? @_f "Hono")) @js.framework.hono
((call_expression
   function: (member_expression object: (identifier) @_n property: (property_identifier) @_c))
 (#eq? @_n "NestFactory") (#eq? @_c "create")) @js.framework.nestjs

; server.listen(3000), app.listen(port=3000) / listen({ port: 3000 })
((call_expression
   function: (member_expression property: (property_identifier) @_l)
   arguments: (arguments . (number) @port))
 (#eq? @_l "listen")) @js.listen.number

((call_expression
   function: (member_expression property: (property_identifier) @_l)
   arguments: (arguments . (object (pair key: (property_identifier) @_k value: (number) @port))))
 (#eq? @_l "listen") (#eq? @_k "port")) @js.listen.options

; listen(process.env.PORT || 8080)
((call_expression
   function: (member_expression property: (property_identifier) @_l)
   arguments: (arguments . (binary_expression
     left: (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name)
     right: (number) @port)))
 (#eq? @_l "listen") (#eq? @_p "process") (#eq? @_env "env")) @js.listen.env-or-number

; listen(process.env.PORT)
((call_expression
   function: (member_expression property: (property_identifier) @_l)
   arguments: (arguments . (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name)))
 (#eq? @_l "listen") (#eq? @_p "process") (#eq? @_env "env")) @js.listen.env
