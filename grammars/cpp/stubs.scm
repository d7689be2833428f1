; gRPC stubs generated from a .proto service (grpc_cpp_plugin), tied to the
; service's implementers in inference.
; triggers: NewStub ::Service

; hipstershop::CurrencyService::NewStub(channel) (the innermost scope names the service)
((qualified_identifier scope: (namespace_identifier) @symbol name: (identifier) @_new)
 (#eq? @_new "NewStub")) @cpp.grpcclient.new-stub

; class CurrencyServiceImpl final : public hipstershop::CurrencyService::Service
((base_class_clause (qualified_identifier scope: (namespace_identifier) @symbol name: (type_identifier) @_service))
 (#eq? @_service "Service")) @cpp.grpcserver.service
((base_class_clause (qualified_identifier
   name: (qualified_identifier scope: (namespace_identifier) @symbol name: (type_identifier) @_service)))
 (#eq? @_service "Service")) @cpp.grpcserver.service
