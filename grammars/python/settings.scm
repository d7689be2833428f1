; Dotted paths a framework imports by name from its settings: Django's
; DATABASES/CACHES `ENGINE`/`BACKEND`, `EMAIL_BACKEND`, `STORAGES` and
; `DEFAULT_FILE_STORAGE`. Each is an import the framework makes at start-up,
; mapped to a system by grammars/externals.toml like any other import.
; triggers: ENGINE BACKEND _STORAGE

; "ENGINE": "django.db.backends.postgresql", "BACKEND": "django_redis.cache.RedisCache"
((pair
   key: (string (string_content) @_key)
   value: (string (string_content) @module))
 (#any-of? @_key "ENGINE" "BACKEND")
 (#match? @module "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$")) @python.import.framework-setting

; EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend", DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"
((assignment
   left: (identifier) @_setting
   right: (string (string_content) @module))
 (#match? @_setting "^[A-Z][A-Z0-9_]*(_BACKEND|_STORAGE)$")
 (#match? @module "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$")) @python.import.framework-setting
