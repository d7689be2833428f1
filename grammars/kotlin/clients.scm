; Service URL literals in Kotlin (`jdbc:postgresql://…`, `http://api:8080`).
; triggers: @quoted-url

((string_literal . (string_content) @url)
 (#match? @url "^[a-z][a-z0-9+.:-]*://")) @kotlin.literal.url
