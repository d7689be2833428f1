; gRPC stubs generated from a .proto service (grpcio-tools), tied to the
; service's implementers in inference.
; triggers: Stub( _to_server( Servicer)

; demo_pb2_grpc.CartServiceStub(channel)
((call function: [(identifier) @symbol (attribute attribute: (identifier) @symbol)])
 (#match? @symbol "^[A-Z][A-Za-z0-9_]*Stub$")) @python.grpcclient.stub

; demo_pb2_grpc.add_CartServiceServicer_to_server(CartService(), server)
((call function: [(identifier) @symbol (attribute attribute: (identifier) @symbol)])
 (#match? @symbol "^add_[A-Za-z0-9_]+Servicer_to_server$")) @python.grpcserver.add-servicer

; class CartService(demo_pb2_grpc.CartServiceServicer):
(class_definition
  name: (identifier) @python.grpcserver.servicer
  superclasses: (argument_list [(identifier) @symbol (attribute attribute: (identifier) @symbol)])
  (#match? @symbol "^[A-Z][A-Za-z0-9_]*Servicer$"))
