; Rust web frameworks and the ports servers bind.
; triggers: HttpServer Router launch rocket warp Server bind SocketAddr run serve

; actix-web: HttpServer::new(|| App::new() …)
((call_expression
   function: (scoped_identifier
     path: [(identifier) @_t (scoped_identifier name: (identifier) @_t)]
     name: (identifier) @_new))
 (#eq? @_t "HttpServer") (#eq? @_new "new")) @rust.framework.actix

; axum: Router::new(), axum::Router::new()
((call_expression
   function: (scoped_identifier
     path: [(identifier) @_t (scoped_identifier name: (identifier) @_t)]
     name: (identifier) @_new))
 (#eq? @_t "Router") (#eq? @_new "new")) @rust.framework.axum

; rocket: #[launch] / #[rocket::launch] / #[rocket::main], rocket::build(), rocket::custom(figment)
((attribute [(identifier) @_a (scoped_identifier path: (identifier) @_r name: (identifier) @_a)])
 (#eq? @_a "launch")) @rust.framework.rocket

((attribute (scoped_identifier path: (identifier) @_r name: (identifier) @_a))
 (#eq? @_r "rocket") (#eq? @_a "main")) @rust.framework.rocket

((call_expression
   function: (scoped_identifier path: (identifier) @_r name: (identifier) @_b))
 (#eq? @_r "rocket") (#any-of? @_b "build" "custom")) @rust.framework.rocket

; warp::serve(routes)
((call_expression
   function: (scoped_identifier path: (identifier) @_w name: (identifier) @_s))
 (#eq? @_w "warp") (#eq? @_s "serve")) @rust.framework.warp

; tonic: Server::builder(), tonic::transport::Server::builder()
((call_expression
   function: (scoped_identifier
     path: [(identifier) @_t (scoped_identifier name: (identifier) @_t)]
     name: (identifier) @_b))
 (#eq? @_t "Server") (#eq? @_b "builder")) @rust.framework.tonic

; .bind(("0.0.0.0", 8080)), TcpListener::bind(("127.0.0.1", 3000)).
; A "host:port" string (`.bind("0.0.0.0:8080")`) is one token and is not split.
(call_expression
   function: [
     (field_expression field: (field_identifier) @_b)
     (scoped_identifier name: (identifier) @_b)
   ]
   arguments: (arguments . (tuple_expression . (_) . (integer_literal) @port .)) @rust.listen.bind-tuple
 (#eq? @_b "bind")
 (#match? @port "^[0-9]+$"))

; SocketAddr::from(([0, 0, 0, 0], 3000))
(call_expression
   function: (scoped_identifier
     path: [(identifier) @_t (scoped_identifier name: (identifier) @_t)]
     name: (identifier) @_f)
   arguments: (arguments . (tuple_expression . (array_expression) . (integer_literal) @port .)) @rust.listen.socket-addr
 (#any-of? @_t "SocketAddr" "SocketAddrV4" "SocketAddrV6")
 (#eq? @_f "from")
 (#match? @port "^[0-9]+$"))

; warp::serve(routes).run(([127, 0, 0, 1], 3030)) (`.bind(([0, 0, 0, 0], 3000))` is bind-tuple)
(call_expression
   function: (field_expression field: (field_identifier) @_f)
   arguments: (arguments . (tuple_expression . (array_expression) . (integer_literal) @port .)) @rust.listen.socket-addr
 (#any-of? @_f "run" "serve")
 (#match? @port "^[0-9]+$"))

; SocketAddr::new(ip, 8080), SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 8080)
((call_expression
   function: (scoped_identifier
     path: [(identifier) @_t (scoped_identifier name: (identifier) @_t)]
     name: (identifier) @_new)
   arguments: (arguments . (_) . (integer_literal) @port .))
 (#any-of? @_t "SocketAddr" "SocketAddrV4" "SocketAddrV6")
 (#eq? @_new "new")
 (#match? @port "^[0-9]+$")) @rust.listen.socket-addr
