; Methods that read the env var their first parameter names: each call
; of one with an env-shaped literal is a read (see calls.scm).
; triggers: ENV

(method
  name: (identifier) @function
  parameters: (method_parameters . [(identifier) @param (optional_parameter name: (identifier) @param)])) @ruby.wrapper.method

; ENV[name]
((element_reference object: (constant) @_env . (identifier) @param)
 (#eq? @_env "ENV")) @ruby.envarg.index

; ENV.fetch(name, …)
((call
   receiver: (constant) @_env
   method: (identifier) @_m
   arguments: (argument_list . (identifier) @param))
 (#eq? @_env "ENV") (#eq? @_m "fetch")) @ruby.envarg.fetch
