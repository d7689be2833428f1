; Calls with an env-shaped string first: reads, when the function is a wrapper.
; triggers: @env-shaped-call

((call
   target: [(identifier) @function (dot right: (identifier) @function)]
   (arguments . (string . (quoted_content) @name .)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @elixir.call.env-shaped
