; gRPC services loaded from a .proto (@grpc/grpc-js, @grpc/proto-loader,
; generated clients, Connect), tied to the service's implementers in inference.
; triggers: addService( credentials Credentials createPromiseClient( createClient( createGrpcTransport

; server.addService(proto.hipstershop.CartService.service, impl)
((call_expression
   function: (member_expression property: (property_identifier) @_add)
   arguments: (arguments . (member_expression
     object: [(member_expression property: (property_identifier) @symbol) (identifier) @symbol]
     property: (property_identifier) @_service)))
 (#eq? @_add "addService") (#eq? @_service "service")) @js.grpcserver.add-service

; new proto.hipstershop.CartService(address, grpc.credentials.createInsecure())
((new_expression
   constructor: [(member_expression property: (property_identifier) @symbol) (identifier) @symbol]
   arguments: (arguments (_) . (_) @_credentials .))
 (#match? @symbol "^[A-Z]")
 (#match? @_credentials "[Cc]redentials")) @js.grpcclient.new-client

; createPromiseClient(CartService, transport), createClient(CartService, transport) (Connect)
((call_expression
   function: (identifier) @_create
   arguments: (arguments . [(identifier) @symbol (member_expression property: (property_identifier) @symbol)]))
 (#any-of? @_create "createPromiseClient" "createClient" "createCallbackClient")) @js.grpcclient.connect-client
