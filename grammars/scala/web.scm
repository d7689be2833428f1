; Scala HTTP servers and the ports they bind.
; triggers: newServerAt bindHttp withPort

; Akka/Pekko HTTP: Http().newServerAt("0.0.0.0", 8080)
((call_expression
   function: (field_expression field: (identifier) @_m)
   arguments: (arguments . (_) . (integer_literal) @port))
 (#eq? @_m "newServerAt")) @scala.listen.akka-http

((call_expression
   function: (field_expression field: (identifier) @_m)
   arguments: (arguments . (_) . (_)))
 (#eq? @_m "newServerAt")) @scala.framework.akka

; http4s: BlazeServerBuilder.bindHttp(8080, "0.0.0.0")
((call_expression
   function: (field_expression field: (identifier) @_m)
   arguments: (arguments . (integer_literal) @port))
 (#eq? @_m "bindHttp")) @scala.listen.http4s-blaze
