; gRPC stubs generated from a .proto service (grpc-java), tied to the
; service's implementers in inference.
; triggers: Grpc.

; CartServiceGrpc.newBlockingStub(channel)
((method_invocation object: (identifier) @symbol name: (identifier) @_new)
 (#match? @symbol "Grpc$")
 (#any-of? @_new "newStub" "newBlockingStub" "newFutureStub" "newBlockingV2Stub")) @java.grpcclient.new-stub

; class CartServiceImpl extends CartServiceGrpc.CartServiceImplBase
((superclass (scoped_type_identifier (type_identifier) @symbol .))
 (#match? @symbol "ImplBase$")) @java.grpcserver.impl-base
((superclass (type_identifier) @symbol)
 (#match? @symbol "ImplBase$")) @java.grpcserver.impl-base

; class CartServiceImpl implements CartServiceGrpc.AsyncService
((super_interfaces (type_list (scoped_type_identifier (type_identifier) @symbol (type_identifier) @_async)))
 (#match? @symbol "Grpc$") (#eq? @_async "AsyncService")) @java.grpcserver.async-service
