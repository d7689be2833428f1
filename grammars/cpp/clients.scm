; Service URL literals (`http://api:8080`, `redis://…`).
; triggers: @quoted-url AddListeningPort

((string_literal . (string_content) @url .)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @cpp.literal.url

; gRPC servers: builder.AddListeningPort("0.0.0.0:50051", …)
((call_expression
   function: (field_expression field: (field_identifier) @_m)
   arguments: (argument_list . (string_literal (string_content) @port)))
 (#eq? @_m "AddListeningPort")) @cpp.listen.grpc-port
