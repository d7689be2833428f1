; gRPC stubs generated from a .proto service (grpc-tools), tied to the
; service's implementers in inference.
; triggers: ::Stub ::Service

; Hipstershop::CartService::Stub.new(address, :this_channel_is_insecure)
((scope_resolution scope: [(constant) @symbol (scope_resolution name: (constant) @symbol)] name: (constant) @_stub)
 (#eq? @_stub "Stub")) @ruby.grpcclient.stub

; class CartServer < Hipstershop::CartService::Service
((superclass (scope_resolution scope: [(constant) @symbol (scope_resolution name: (constant) @symbol)] name: (constant) @_service))
 (#eq? @_service "Service")) @ruby.grpcserver.service
