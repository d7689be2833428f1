; gRPC stubs generated from a .proto service (protoc-gen-go-grpc, grpc-gateway),
; tied to the service's implementers in inference.
; triggers: Client( Server( FromEndpoint(

; pb.NewCartServiceClient(conn)
((call_expression
   function: [(selector_expression field: (field_identifier) @symbol) (identifier) @symbol])
 (#match? @symbol "^New[A-Z][A-Za-z0-9_]*Client$")) @go.grpcclient.new-client

; gw.RegisterCartServiceHandlerFromEndpoint(ctx, mux, endpoint, opts): a gateway forwarding to the service
((call_expression
   function: [(selector_expression field: (field_identifier) @symbol) (identifier) @symbol])
 (#match? @symbol "^Register[A-Z][A-Za-z0-9_]*HandlerFromEndpoint$")) @go.grpcclient.gateway

; pb.RegisterCartServiceServer(grpcServer, impl)
((call_expression
   function: [(selector_expression field: (field_identifier) @symbol) (identifier) @symbol])
 (#match? @symbol "^Register[A-Z][A-Za-z0-9_]*Server$")) @go.grpcserver.register
