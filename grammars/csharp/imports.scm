; using directives, mapped to external systems by grammars/externals.toml.
; triggers: @packages

; using Stripe; / using Microsoft.AspNetCore.Builder; / using static System.Math; / global using X;
((using_directive !name [(identifier) (qualified_name)] @module)) @csharp.import.using

; using Db = Npgsql.NpgsqlConnection;
((using_directive name: (identifier) [(identifier) (qualified_name)] @module)) @csharp.import.using
