; Outgoing HTTP/gRPC clients and connection-string literals.
; triggers: @quoted-url fetch axios got ky request baseURL grpc

; fetch(process.env.X …), fetch(`${process.env.X}/path`), axios.get(process.env.X + "/p")
((call_expression
   function: [(identifier) @_f (member_expression object: (identifier) @_f)]
   arguments: (arguments . [
     (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name)
     (template_string . (template_substitution (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name)))
     (binary_expression left: (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name))
   ]))
 (#any-of? @_f "fetch" "axios" "got" "ky" "request" "superagent" "$fetch" "ofetch")
 (#eq? @_p "process") (#eq? @_env "env")) @js.http.env-url

; fetch("http://…"), axios.get("http://…")
((call_expression
   function: [(identifier) @_f (member_expression object: (identifier) @_f)]
   arguments: (arguments . [(string (string_fragment) @url) (template_string . (string_fragment) @url)]))
 (#any-of? @_f "fetch" "axios" "got" "ky" "request" "superagent" "$fetch" "ofetch")
 (#match? @url "^https?://")) @js.http.literal-url

; fetch("/api/items"), axios.get(`api/queries/${id}`): a relative URL, a path
; on the origin that served the page
((call_expression
   function: [(identifier) @_f (member_expression object: (identifier) @_f)]
   arguments: (arguments . [(string (string_fragment) @url) (template_string . (string_fragment) @url)]))
 (#any-of? @_f "fetch" "axios" "got" "ky" "request" "superagent" "$fetch" "ofetch")
 (#match? @url "^(/[A-Za-z_]|[A-Za-z_][A-Za-z0-9_.-]*/)")) @js.http.same-origin

; axios.create({ baseURL: "/api" })
((pair key: (property_identifier) @_k value: (string (string_fragment) @url))
 (#any-of? @_k "baseURL" "baseUrl")
 (#match? @url "^/[A-Za-z_]")) @js.http.same-origin-base

; axios.create({ baseURL: process.env.X }) and other clients configured with a baseURL
((pair
   key: (property_identifier) @_k
   value: [
     (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name)
     (binary_expression left: (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name))
   ])
 (#any-of? @_k "baseURL" "baseUrl" "apiUrl" "endpoint")
 (#eq? @_p "process") (#eq? @_env "env")) @js.http.base-url-env

; new SomeServiceClient(process.env.ADDR, grpc.credentials.createInsecure())
((new_expression
   arguments: (arguments
     . (member_expression
       object: (member_expression object: (identifier) @_p property: (property_identifier) @_env)
       property: (property_identifier) @name)
     . (call_expression function: (member_expression object: (member_expression property: (property_identifier) @_cred)))))
 (#eq? @_p "process") (#eq? @_env "env") (#eq? @_cred "credentials")) @js.grpc.client-env

((string (string_fragment) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @js.literal.url
