; Functions that read the env var their first parameter names: each call
; of one with an env-shaped literal is a read (see calls.scm).
; triggers: getenv environ

((function_definition
   name: (identifier) @function
   parameters: (parameters . [
     (identifier) @param
     (default_parameter name: (identifier) @param)
     (typed_parameter . (identifier) @param)
     (typed_default_parameter name: (identifier) @param)
   ])) @python.wrapper.function
 (#not-any-of? @param "self" "cls"))

; Methods: the parameter after `self`.
((function_definition
   name: (identifier) @function
   parameters: (parameters . (identifier) @_self . [
     (identifier) @param
     (default_parameter name: (identifier) @param)
     (typed_parameter . (identifier) @param)
     (typed_default_parameter name: (identifier) @param)
   ])) @python.wrapper.method
 (#any-of? @_self "self" "cls"))

; os.getenv(name), getenv(name, default)
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list . (identifier) @param))
 (#eq? @_fn "getenv")) @python.envarg.getenv

; os.environ.get(name), environ.setdefault(name, …)
((call
   function: (attribute
     object: [(identifier) @_env (attribute attribute: (identifier) @_env)]
     attribute: (identifier) @_m)
   arguments: (argument_list . (identifier) @param))
 (#eq? @_env "environ") (#any-of? @_m "get" "setdefault" "pop")) @python.envarg.environ-get

; os.environ[name]
((subscript
   value: [(identifier) @_env (attribute attribute: (identifier) @_env)]
   subscript: (identifier) @param)
 (#eq? @_env "environ")) @python.envarg.environ-index
