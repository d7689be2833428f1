; Connection-string and service URL literals (`postgres://…`, `redis://…`, `http://api:8080`).
; triggers: @quoted-url

((string_literal (string_fragment) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @java.literal.url

; Feign clients call the application registered under a name (service
; discovery): @FeignClient("stats"), @FeignClient(name = "statistics-service"),
; or a fixed address: @FeignClient(url = "http://…").
; triggers: @FeignClient

((annotation
   name: (identifier) @_a
   arguments: (annotation_argument_list (string_literal (string_fragment) @url)))
 (#eq? @_a "FeignClient")
 (#match? @url "^[A-Za-z]")) @java.http.feign-client

((annotation
   name: (identifier) @_a
   arguments: (annotation_argument_list
     (element_value_pair key: (identifier) @_k value: (string_literal (string_fragment) @url))))
 (#eq? @_a "FeignClient")
 (#any-of? @_k "name" "value" "url")
 (#match? @url "^[A-Za-z]")) @java.http.feign-client
