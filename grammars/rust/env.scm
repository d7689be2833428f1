; Environment variable reads in Rust.
; triggers: env

; std::env::var("X"), env::var("X"), env::var_os("X"), dotenvy::var("X")
((call_expression
   function: (scoped_identifier
     path: [(identifier) @_env (scoped_identifier name: (identifier) @_env)]
     name: (identifier) @_fn)
   arguments: (arguments . (string_literal . (string_content) @name .)))
 (#any-of? @_env "env" "dotenv" "dotenvy")
 (#any-of? @_fn "var" "var_os")) @rust.env.var

; env::var("X") inside a macro body (lazy_static!, format!, json! …), where
; tree-sitter leaves the code as tokens: `env` `::` `var` `("X")`
(token_tree
   (identifier) @_env . "::" . (identifier) @_fn .
   (token_tree . (string_literal . (string_content) @name .)) @rust.env.var-in-macro
 (#any-of? @_env "env" "dotenv" "dotenvy")
 (#any-of? @_fn "var" "var_os"))

; env!("X") and option_env!("X") are not matched: they read the variable
; when the program is compiled, not when it runs, so they are not
; configuration the deployment must provide (reporting them as missing
; runtime variables was wrong).

; clap / structopt: #[arg(long, env = "X")]
((attribute
   [(identifier) @_a (scoped_identifier name: (identifier) @_a)]
   arguments: (token_tree (identifier) @_env . "=" . (string_literal . (string_content) @name .)))
 (#any-of? @_a "arg" "clap" "structopt")
 (#eq? @_env "env")) @rust.env.clap-arg
