; Calls with an env-shaped string first: reads, when the function is a wrapper.
; triggers: ("A ("B ("C ("D ("E ("F ("G ("H ("I ("J ("K ("L ("M ("N ("O ("P ("Q ("R ("S ("T ("U ("V ("W ("X ("Y ("Z
; triggers: ('A ('B ('C ('D ('E ('F ('G ('H ('I ('J ('K ('L ('M ('N ('O ('P ('Q ('R ('S ('T ('U ('V ('W ('X ('Y ('Z
; triggers: (`A (`B (`C (`D (`E (`F (`G (`H (`I (`J (`K (`L (`M (`N (`O (`P (`Q (`R (`S (`T (`U (`V (`W (`X (`Y (`Z

((call_expression
   function: [(identifier) @function (member_expression property: (property_identifier) @function)]
   arguments: (arguments . (string (string_fragment) @name)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @js.call.env-shaped
