; gRPC stubs generated from a .proto service (tonic), tied to the
; service's implementers in inference.
; triggers: Client:: Server::

; CartServiceClient::connect(address), cart_service_client::CartServiceClient::new(channel)
((call_expression function: (scoped_identifier
   path: [(identifier) @symbol (scoped_identifier name: (identifier) @symbol)]
   name: (identifier) @_new))
 (#match? @symbol "^[A-Z][A-Za-z0-9_]*Client$")
 (#any-of? @_new "connect" "new" "with_origin" "with_interceptor")) @rust.grpcclient.client

; Server::builder().add_service(CartServiceServer::new(service))
((call_expression function: (scoped_identifier
   path: [(identifier) @symbol (scoped_identifier name: (identifier) @symbol)]
   name: (identifier) @_new))
 (#match? @symbol "^[A-Z][A-Za-z0-9_]*Server$")
 (#any-of? @_new "new" "with_interceptor" "from_arc")) @rust.grpcserver.server
