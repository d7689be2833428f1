; Kotlin servers and the ports they listen on.
; triggers: embeddedServer EngineMain

; Ktor: embeddedServer(Netty, port = 8080, …), port = System.getenv("PORT")?.toInt() ?: 8080
((call_expression
   (identifier) @_e
   (value_arguments))
 (#eq? @_e "embeddedServer")) @kotlin.framework.ktor

((call_expression
   (identifier) @_e
   (value_arguments
     (value_argument
       (identifier) @_p
       [
         (number_literal) @port
         (binary_expression
           left: [
             (call_expression (value_arguments . (value_argument (string_literal . (string_content) @name .)) .))
             (call_expression (navigation_expression
               (call_expression (value_arguments . (value_argument (string_literal . (string_content) @name .)) .))))
           ]
           right: (number_literal) @port)
       ])))
 (#eq? @_e "embeddedServer") (#eq? @_p "port")) @kotlin.listen.ktor-port

; Ktor configured by application.conf/yaml: EngineMain.main(args), io.ktor.server.netty.EngineMain.main(args)
((navigation_expression [(identifier) @_e (navigation_expression (identifier) @_e .)] (identifier) @_m)
 (#eq? @_e "EngineMain") (#eq? @_m "main")) @kotlin.framework.ktor
