; Web frameworks and the ports Python servers listen on.
; triggers: FastAPI Flask Django django Starlette Sanic aiohttp Celery uvicorn port= Quart

((call function: [(identifier) @_c (attribute attribute: (identifier) @_c)])
 (#eq? @_c "FastAPI")) @python.framework.fastapi

((call function: [(identifier) @_c (attribute attribute: (identifier) @_c)])
 (#eq? @_c "Flask")) @python.framework.flask

((call function: [(identifier) @_c (attribute attribute: (identifier) @_c)])
 (#eq? @_c "Starlette")) @python.framework.starlette

((call function: [(identifier) @_c (attribute attribute: (identifier) @_c)])
 (#eq? @_c "Sanic")) @python.framework.sanic

((call function: [(identifier) @_c (attribute attribute: (identifier) @_c)])
 (#eq? @_c "Quart")) @python.framework.quart

((call function: (attribute object: (identifier) @_web attribute: (identifier) @_c))
 (#eq? @_web "web") (#eq? @_c "Application")) @python.framework.aiohttp

((call function: [(identifier) @_c (attribute attribute: (identifier) @_c)])
 (#eq? @_c "Celery")) @python.framework.celery-worker

; Django projects: manage.py / settings set DJANGO_SETTINGS_MODULE
((call
   function: (attribute attribute: (identifier) @_m)
   arguments: (argument_list . (string (string_content) @_k)))
 (#eq? @_m "setdefault") (#eq? @_k "DJANGO_SETTINGS_MODULE")) @python.framework.django

; uvicorn.run(app, port=8000) / app.run(port=5000) / web.run_app(app, port=8080)
((call
   function: (attribute attribute: (identifier) @_run)
   arguments: (argument_list
     (keyword_argument name: (identifier) @_kw value: (integer) @port)))
 (#any-of? @_run "run" "run_app")
 (#eq? @_kw "port")) @python.listen.run-port

; port=int(os.getenv("PORT", …)) inside a run call
((call
   function: (attribute attribute: (identifier) @_run)
   arguments: (argument_list
     (keyword_argument
       name: (identifier) @_kw
       value: (call arguments: (argument_list . [
         (call arguments: (argument_list . (string (string_content) @name)))
         (subscript subscript: (string (string_content) @name))
       ])))))
 (#any-of? @_run "run" "run_app")
 (#eq? @_kw "port")) @python.listen.run-env-port
