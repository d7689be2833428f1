; HTTP clients and service URL literals in PHP.
; triggers: @quoted-url base_uri Http:: curl_init

; Connection-string and service URL literals (`redis://…`, `http://quote:8090`).
((string (string_content) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @php.literal.url

((encapsed_string (string_content) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @php.literal.url

; Guzzle: new Client(['base_uri' => 'http://…']) and with base_uri from env()
((array_element_initializer
   (string (string_content) @_k)
   [(string (string_content) @url) (encapsed_string (string_content) @url)])
 (#eq? @_k "base_uri")) @php.http.guzzle-base-uri

((array_element_initializer
   (string (string_content) @_k)
   (function_call_expression
     function: (name) @_f
     arguments: (arguments . (argument [(string (string_content) @name) (encapsed_string (string_content) @name)]))))
 (#eq? @_k "base_uri") (#any-of? @_f "getenv" "env")) @php.http.guzzle-base-uri

; Laravel: Http::get('http://…'), Http::post(…)
((scoped_call_expression
   scope: (name) @_h
   name: (name) @_m
   arguments: (arguments . (argument [(string (string_content) @url) (encapsed_string (string_content) @url)])))
 (#eq? @_h "Http") (#any-of? @_m "get" "post" "put" "patch" "delete" "head")) @php.http.laravel-http

; curl_init('http://…')
((function_call_expression
   function: (name) @_f
   arguments: (arguments . (argument [(string (string_content) @url) (encapsed_string (string_content) @url)])))
 (#eq? @_f "curl_init")) @php.http.curl
