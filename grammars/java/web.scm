; Java web frameworks and the ports servers listen on.
; triggers: SpringBootApplication Micronaut Quarkus Javalin listen InetSocketAddress ServerSocket

; @SpringBootApplication on the application class
((marker_annotation name: (identifier) @_a)
 (#eq? @_a "SpringBootApplication")) @java.framework.spring-boot

; Micronaut.run(App.class, args)
((method_invocation object: (identifier) @_m name: (identifier) @_run)
 (#eq? @_m "Micronaut") (#eq? @_run "run")) @java.framework.micronaut

; @QuarkusMain / Quarkus.run(args)
((marker_annotation name: (identifier) @_a)
 (#eq? @_a "QuarkusMain")) @java.framework.quarkus

((method_invocation object: (identifier) @_q name: (identifier) @_run)
 (#eq? @_q "Quarkus") (#eq? @_run "run")) @java.framework.quarkus

; Javalin.create(…)
((method_invocation object: (identifier) @_j name: (identifier) @_c)
 (#eq? @_j "Javalin") (#eq? @_c "create")) @java.framework.javalin

; Javalin.create().start(7000)
(method_invocation
   object: (method_invocation object: (identifier) @_j name: (identifier) @_c)
   name: (identifier) @_s
   arguments: (argument_list . (decimal_integer_literal) @port .) @java.listen.javalin-start
 (#eq? @_j "Javalin") (#eq? @_c "create") (#eq? @_s "start"))

; vertx.createHttpServer()….listen(8080)
(method_invocation
   name: (identifier) @_l
   arguments: (argument_list . (decimal_integer_literal) @port) @java.listen.listen-port
 (#eq? @_l "listen"))

; HttpServer.create(new InetSocketAddress(8000), 0) (JDK server)
((method_invocation
   object: (identifier) @_h
   name: (identifier) @_c
   arguments: (argument_list . (object_creation_expression
     type: (type_identifier) @_i
     arguments: (argument_list (decimal_integer_literal) @port .))))
 (#eq? @_h "HttpServer") (#eq? @_c "create") (#eq? @_i "InetSocketAddress")) @java.listen.http-server

; new ServerSocket(8080)
((object_creation_expression
   type: (type_identifier) @_s
   arguments: (argument_list . (decimal_integer_literal) @port))
 (#eq? @_s "ServerSocket")) @java.listen.server-socket
