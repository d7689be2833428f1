; Connection-string and service URL literals (`postgres://…`, `redis://…`, `http://api:8080`).
; triggers: @quoted-url

((string_literal (string_content) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @rust.literal.url
