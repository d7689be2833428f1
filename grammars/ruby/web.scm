; Ruby web frameworks, job workers and the ports servers listen on.
; triggers: Rails Sinatra sinatra Sidekiq Grape Roda Hanami port

; class Application < Rails::Application (config/application.rb)
((class
   superclass: (superclass (scope_resolution scope: (constant) @_r name: (constant) @_a)))
 (#eq? @_r "Rails") (#eq? @_a "Application")) @ruby.framework.rails

; require "sinatra" (classic style) / class Api < Sinatra::Base (modular style)
((call
   method: (identifier) @_req
   arguments: (argument_list . (string . (string_content) @_lib .)))
 (#eq? @_req "require") (#eq? @_lib "sinatra")) @ruby.framework.sinatra

((class
   superclass: (superclass (scope_resolution scope: (constant) @_s name: (constant) @_b)))
 (#eq? @_s "Sinatra") (#any-of? @_b "Base" "Application")) @ruby.framework.sinatra

; class Api < Grape::API, class App < Roda, class App < Hanami::App
((class
   superclass: (superclass (scope_resolution scope: (constant) @_g name: (constant) @_a)))
 (#eq? @_g "Grape") (#eq? @_a "API")) @ruby.framework.grape

((class superclass: (superclass (constant) @_r))
 (#eq? @_r "Roda")) @ruby.framework.roda

((class
   superclass: (superclass (scope_resolution scope: (constant) @_h name: (constant) @_a)))
 (#eq? @_h "Hanami") (#eq? @_a "App")) @ruby.framework.hanami

; include Sidekiq::Worker / include Sidekiq::Job
((call
   method: (identifier) @_inc
   arguments: (argument_list . (scope_resolution scope: (constant) @_s name: (constant) @_w) .))
 (#eq? @_inc "include") (#eq? @_s "Sidekiq") (#any-of? @_w "Worker" "Job")) @ruby.framework.sidekiq-worker

; puma: port 3000
((call
   !receiver
   method: (identifier) @_p
   arguments: (argument_list . (integer) @port .))
 (#eq? @_p "port")) @ruby.listen.puma-port

; puma: port ENV.fetch("PORT") { 3000 }, port ENV.fetch("PORT", 3000), port ENV.fetch("PORT")
((call
   !receiver
   method: (identifier) @_p
   arguments: (argument_list . (call
     receiver: (constant) @_env
     method: (identifier) @_f
     arguments: (argument_list . (string . (string_content) @name .) (integer)? @port .)
     block: (block body: (block_body . (integer) @port .))?) .))
 (#eq? @_p "port") (#eq? @_env "ENV") (#eq? @_f "fetch")) @ruby.listen.puma-port

; puma: port ENV["PORT"] || 3000, port ENV["PORT"]
((call
   !receiver
   method: (identifier) @_p
   arguments: (argument_list . [
     (element_reference object: (constant) @_env . (string . (string_content) @name .) .)
     (binary
       left: (element_reference object: (constant) @_env . (string . (string_content) @name .) .)
       operator: "||"
       right: (integer) @port)
   ] .))
 (#eq? @_p "port") (#eq? @_env "ENV")) @ruby.listen.puma-port

; sinatra: set :port, 4567
((call
   !receiver
   method: (identifier) @_set
   arguments: (argument_list . (simple_symbol) @_k . (integer) @port .))
 (#eq? @_set "set") (#eq? @_k ":port")) @ruby.listen.sinatra-set-port
