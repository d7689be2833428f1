; Service URL literals and HTTP clients in Elixir.
; triggers: @quoted-url

; Connection-string and service URL literals (`ecto://…`, `http://api:8080`).
((string . (quoted_content) @url .)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @elixir.literal.url
