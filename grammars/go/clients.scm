; Outgoing HTTP/gRPC clients and connection-string literals.
; triggers: @quoted-url grpc.Dial grpc.NewClient

; grpc.Dial(os.Getenv("ADDR"), …), grpc.NewClient(addr literal, …)
((call_expression
   function: (selector_expression operand: (identifier) @_g field: (field_identifier) @_f)
   arguments: (argument_list . [
     (interpreted_string_literal (interpreted_string_literal_content) @url)
     (call_expression
       function: (selector_expression field: (field_identifier) @_getenv)
       arguments: (argument_list . (interpreted_string_literal (interpreted_string_literal_content) @name)))
   ]))
 (#eq? @_g "grpc") (#any-of? @_f "Dial" "DialContext" "NewClient")) @go.grpc.dial

; http.Get("http://…"), http.Post(…), http.NewRequest("GET", "http://…", nil)
((call_expression
   function: (selector_expression operand: (identifier) @_h field: (field_identifier) @_f)
   arguments: (argument_list (interpreted_string_literal (interpreted_string_literal_content) @url)))
 (#eq? @_h "http") (#any-of? @_f "Get" "Post" "Head" "NewRequest" "NewRequestWithContext" "PostForm")
 (#match? @url "^https?://")) @go.http.literal-url

((interpreted_string_literal (interpreted_string_literal_content) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @go.literal.url
