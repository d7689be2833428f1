; Calls with an env-shaped string first: reads, when the function is a wrapper.
; triggers: ("A ("B ("C ("D ("E ("F ("G ("H ("I ("J ("K ("L ("M ("N ("O ("P ("Q ("R ("S ("T ("U ("V ("W ("X ("Y ("Z

((call
   target: [(identifier) @function (dot right: (identifier) @function)]
   (arguments . (string . (quoted_content) @name .)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @elixir.call.env-shaped
