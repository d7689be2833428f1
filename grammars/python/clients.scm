; Outgoing HTTP/gRPC clients and connection-string literals.
; triggers: @quoted-url requests. httpx. session. client. grpc.

; requests.get("http://…"), httpx.post(…), session.get(…) with a literal URL
((call
   function: (attribute attribute: (identifier) @_verb)
   arguments: (argument_list . (string (string_content) @url)))
 (#any-of? @_verb "get" "post" "put" "patch" "delete" "request" "head")
 (#match? @url "^https?://")) @python.http.literal-url

; requests.get(os.getenv("API_URL") …) and f-strings / concatenations starting with an env read
((call
   function: (attribute object: (identifier) @_client attribute: (identifier) @_verb)
   arguments: (argument_list . (call
     function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
     arguments: (argument_list . (string (string_content) @name)))))
 (#any-of? @_client "requests" "httpx" "session" "client")
 (#any-of? @_fn "getenv" "get")) @python.http.env-url

; grpc.insecure_channel("host:port") / grpc.insecure_channel(os.getenv("ADDR"))
((call
   function: (attribute object: (identifier) @_grpc attribute: (identifier) @_ch)
   arguments: (argument_list . [
     (string (string_content) @url)
     (call arguments: (argument_list . (string (string_content) @name)))
     (subscript subscript: (string (string_content) @name))
   ]))
 (#eq? @_grpc "grpc")
 (#any-of? @_ch "insecure_channel" "secure_channel")) @python.grpc.channel

; "postgres://…", "redis://…", "amqp://…" anywhere in code
((string (string_content) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @python.literal.url
