; Service URL literals (`http://api:8080`, `redis://…`).
; triggers: @quoted-url

((string_literal . (string_content) @url .)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @c.literal.url
