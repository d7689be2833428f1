; Calls with an env-shaped string first: reads, when the method is a wrapper.
; triggers: ("A ("B ("C ("D ("E ("F ("G ("H ("I ("J ("K ("L ("M ("N ("O ("P ("Q ("R ("S ("T ("U ("V ("W ("X ("Y ("Z
; triggers: ('A ('B ('C ('D ('E ('F ('G ('H ('I ('J ('K ('L ('M ('N ('O ('P ('Q ('R ('S ('T ('U ('V ('W ('X ('Y ('Z
; triggers:  "A  "B  "C  "D  "E  "F  "G  "H  "I  "J  "K  "L  "M  "N  "O  "P  "Q  "R  "S  "T  "U  "V  "W  "X  "Y  "Z
; triggers:  'A  'B  'C  'D  'E  'F  'G  'H  'I  'J  'K  'L  'M  'N  'O  'P  'Q  'R  'S  'T  'U  'V  'W  'X  'Y  'Z

((call
   method: (identifier) @function
   arguments: (argument_list . (string (string_content) @name)))
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @ruby.call.env-shaped
