; Service URL literals in Scala (`jdbc:postgresql://…`, `http://api:8080`).
; triggers: @quoted-url

((string) @url
 (#match? @url "^\"[a-z][a-z0-9+.:-]*://")) @scala.literal.url
