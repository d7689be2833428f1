; Rails settings that name, by a symbol, code Rails loads by a path built
; from it (`load`: the path, `{}` the symbol): imports the framework makes,
; mapped to systems by grammars/externals.toml like any other require.
; triggers: delivery_method cache_store queue_adapter

; config.action_mailer.delivery_method = :smtp
((assignment
   left: (call receiver: (call method: (identifier) @_section) method: (identifier) @_setting)
   right: (simple_symbol) @module)
 (#eq? @_section "action_mailer") (#eq? @_setting "delivery_method")
 (#set! load "mail/network/delivery_methods/{}")) @ruby.import.rails-mailer

; config.cache_store = :redis_cache_store, { url: ENV["REDIS_URL"] }
((assignment
   left: (call method: (identifier) @_setting)
   right: [(simple_symbol) @module (right_assignment_list . (simple_symbol) @module)])
 (#eq? @_setting "cache_store")
 (#set! load "active_support/cache/{}")) @ruby.import.rails-cache-store

; config.active_job.queue_adapter = :sidekiq
((assignment
   left: (call receiver: (call method: (identifier) @_section) method: (identifier) @_setting)
   right: (simple_symbol) @module)
 (#eq? @_section "active_job") (#eq? @_setting "queue_adapter")
 (#set! load "active_job/queue_adapters/{}_adapter")) @ruby.import.rails-queue-adapter
