; Environment variable reads in Python.
; triggers: getenv environ BaseSettings config( env( env.

; os.getenv("X"), getenv("X"), os.environ.get("X"), environ.get("X"), os.environ.setdefault("X", …)
((call
   function: [
     (identifier) @_fn
     (attribute attribute: (identifier) @_fn)
   ]
   arguments: (argument_list . (string (string_content) @name)))
 (#eq? @_fn "getenv")) @python.env.os-getenv

((call
   function: (attribute
     object: [(identifier) @_env (attribute attribute: (identifier) @_env)]
     attribute: (identifier) @_method)
   arguments: (argument_list . (string (string_content) @name)))
 (#eq? @_env "environ")
 (#any-of? @_method "get" "setdefault" "pop")) @python.env.environ-get

; os.environ["X"], environ["X"]
((subscript
   value: [(identifier) @_env (attribute attribute: (identifier) @_env)]
   subscript: (string (string_content) @name))
 (#eq? @_env "environ")) @python.env.environ-index

; pydantic settings: class Settings(BaseSettings): database_url: str
((class_definition
   superclasses: (argument_list [(identifier) @_base (attribute attribute: (identifier) @_base)])
   body: (block
     (expression_statement
       (assignment left: (identifier) @upper_name type: (type))) @python.env.pydantic-settings))
 (#eq? @_base "BaseSettings"))

; python-decouple `config("SECRET_KEY")`, django-environ `env("DATABASE_URL")`,
; `env.bool("DEBUG")`: upper-case names only, so unrelated `config("a.b")` calls stay out.
((call
   function: (identifier) @_fn
   arguments: (argument_list . (string (string_content) @name)))
 (#any-of? @_fn "config" "env")
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @python.env.decouple

((call
   function: (attribute object: (identifier) @_env attribute: (identifier) @_type)
   arguments: (argument_list . (string (string_content) @name)))
 (#eq? @_env "env")
 (#any-of? @_type "str" "bool" "int" "float" "list" "dict" "json" "url" "db" "db_url" "cache" "cache_url" "email_url" "path")
 (#match? @name "^[A-Z][A-Z0-9_]*$")) @python.env.django-environ

; Reads with a fallback: os.getenv("X", "d"), os.environ.get("X", "d").
((call
   function: [
     (identifier) @_fn
     (attribute attribute: (identifier) @_fn)
   ]
   arguments: (argument_list . (string (string_content) @name) . (_) @default))
 (#eq? @_fn "getenv")) @python.env.os-getenv

((call
   function: (attribute
     object: [(identifier) @_env (attribute attribute: (identifier) @_env)]
     attribute: (identifier) @_method)
   arguments: (argument_list . (string (string_content) @name) . (_) @default))
 (#eq? @_env "environ")
 (#any-of? @_method "get" "setdefault" "pop")) @python.env.environ-get
