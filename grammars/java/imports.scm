; Imports, mapped to external systems by grammars/externals.toml.
; triggers: @packages

; import com.stripe.Stripe; / import static …; / import java.util.*;
(import_declaration [(scoped_identifier) (identifier)] @module) @java.import.package
