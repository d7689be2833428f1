; Environment variable reads in Go.
; triggers: Getenv LookupEnv Env env env:" envconfig:"
; triggers: viper SetDefault BindEnv

; os.Getenv("X"), os.LookupEnv("X"), syscall.Getenv("X")
((call_expression
   function: (selector_expression operand: (identifier) @_os field: (field_identifier) @_fn)
   arguments: (argument_list . (interpreted_string_literal (interpreted_string_literal_content) @name)))
 (#any-of? @_os "os" "syscall")
 (#any-of? @_fn "Getenv" "LookupEnv")) @go.env.os-getenv

; Helpers wrapping os.Getenv: getEnv("X", "d"), mustMapEnv(&v, "X"), envOr("X", …)
((call_expression
   function: [(identifier) @_fn (selector_expression field: (field_identifier) @_fn)]
   arguments: (argument_list (interpreted_string_literal (interpreted_string_literal_content) @name)))
 (#match? @_fn "[Ee]nv")
 (#not-any-of? @_fn "Getenv" "LookupEnv" "Setenv" "Unsetenv" "SetEnvPrefix")
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @go.env.helper

; Struct tags of env-binding libraries: `env:"PORT"` (caarlos0/env), `envconfig:"PORT"` (envconfig)
((field_declaration
   tag: (raw_string_literal (raw_string_literal_content) @struct_tag))
 (#match? @struct_tag "(^|[ ])(env|envconfig):\"")) @go.env.struct-tag

; viper: the env prefix, and the keys the program reads. With
; `SetEnvPrefix("ND")` and `AutomaticEnv()`, key `log.level` is also read
; from ND_LOG_LEVEL; inference matches derived names against definitions.

; viper.SetEnvPrefix("ND"), v.SetEnvPrefix("app")
((call_expression
   function: (selector_expression field: (field_identifier) @_m)
   arguments: (argument_list . (interpreted_string_literal) @key))
 (#eq? @_m "SetEnvPrefix")) @go.envprefix.viper-prefix

; viper.AutomaticEnv(): keys read from env vars of the same name.
((call_expression
   function: (selector_expression operand: (identifier) @_v field: (field_identifier) @_m))
 (#eq? @_v "viper")
 (#eq? @_m "AutomaticEnv")) @go.envprefix.viper-automatic

; v.SetDefault("musicfolder", …), v.BindEnv("port")
((call_expression
   function: (selector_expression field: (field_identifier) @_m)
   arguments: (argument_list . (interpreted_string_literal) @key))
 (#any-of? @_m "SetDefault" "BindEnv")) @go.config.viper-default

; viper.GetString("log.level"), viper.GetBool("ui.enabled"), …
((call_expression
   function: (selector_expression operand: (identifier) @_v field: (field_identifier) @_m)
   arguments: (argument_list . (interpreted_string_literal) @key))
 (#eq? @_v "viper")
 (#match? @_m "^(Get|GetString|GetBool|GetInt|GetInt32|GetInt64|GetUint|GetUint32|GetUint64|GetFloat64|GetDuration|GetTime|GetStringSlice|GetIntSlice|GetStringMap|GetStringMapString|GetSizeInBytes|IsSet)$")) @go.config.viper-get

; Command-line flags that viper binds (`viper.BindPFlags(fs)`): fs.String("ui-color", …),
; fs.IntVar(&port, "port", …). Their names are keys too.
((call_expression
   function: (selector_expression field: (field_identifier) @_m)
   arguments: (argument_list . (interpreted_string_literal) @key))
 (#match? @_m "^(String|Bool|Int|Int64|Uint|Float64|Duration|StringSlice|StringArray|IntSlice)(P)?$")) @go.config.pflag

((call_expression
   function: (selector_expression field: (field_identifier) @_m)
   arguments: (argument_list . (_) . (interpreted_string_literal) @key))
 (#match? @_m "^(String|Bool|Int|Int64|Uint|Float64|Duration|StringSlice|StringArray|IntSlice)Var(P)?$")) @go.config.pflag-var

; Helpers with a fallback: getEnv("X", "d"), envOr("X", 8080).
((call_expression
   function: [(identifier) @_fn (selector_expression field: (field_identifier) @_fn)]
   arguments: (argument_list . (interpreted_string_literal (interpreted_string_literal_content) @name) . (_) @default))
 (#match? @_fn "[Ee]nv")
 (#not-any-of? @_fn "Getenv" "LookupEnv" "Setenv" "Unsetenv" "SetEnvPrefix")
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @go.env.helper
