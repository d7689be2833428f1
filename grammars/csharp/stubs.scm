; gRPC stubs generated from a .proto service (Grpc.Tools), tied to the
; service's implementers in inference.
; triggers: Client( Client> Base

; new Cart.CartClient(channel)
((object_creation_expression type: (qualified_name name: (identifier) @symbol))
 (#match? @symbol "Client$")) @csharp.grpcclient.new-client

; services.AddGrpcClient<Cart.CartClient>(…)
((generic_name (identifier) @_add (type_argument_list (qualified_name name: (identifier) @symbol)))
 (#eq? @_add "AddGrpcClient")) @csharp.grpcclient.add-grpc-client

; class CartService : Cart.CartBase
((base_list (qualified_name name: (identifier) @symbol))
 (#match? @symbol "Base$")) @csharp.grpcserver.base
