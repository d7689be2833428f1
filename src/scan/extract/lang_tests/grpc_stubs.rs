//! gRPC stub rules: per language, the generated names a client or an
//! implementation uses, and none from code that merely resembles them.

use crate::scan::extract::tests::all_facts_of;

/// Only the stub facts of a snippet.
fn stubs_of(file_name: &str, source: &str) -> Vec<String> {
    all_facts_of(file_name, source)
        .into_iter()
        .filter(|f| f.contains(".grpcclient.") || f.contains(".grpcserver."))
        .collect()
}

#[test]
fn each_language_names_the_generated_symbols() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "main.go",
            "package main\n\nfunc main() {\n\tc := pb.NewCartServiceClient(conn)\n\tpb.RegisterCurrencyServiceServer(s, &impl{})\n\tgw.RegisterShopServiceHandlerFromEndpoint(ctx, mux, ep, opts)\n\th := http.NewClient()\n\tx := NewClient()\n}\n",
            &[
                "4:go.grpcclient.new-client NewCartServiceClient",
                "5:go.grpcserver.register serves RegisterCurrencyServiceServer",
                "6:go.grpcclient.gateway RegisterShopServiceHandlerFromEndpoint",
            ],
        ),
        (
            "server.py",
            "import grpc\n\nclass Recs(demo_pb2_grpc.RecommendationServiceServicer):\n    pass\n\ndef serve():\n    demo_pb2_grpc.add_RecommendationServiceServicer_to_server(Recs(), server)\n    stub = demo_pb2_grpc.ProductCatalogServiceStub(channel)\n    s = Stub()\n\nclass Plain(object):\n    pass\n",
            &[
                "3:python.grpcserver.servicer serves RecommendationServiceServicer",
                "7:python.grpcserver.add-servicer serves add_RecommendationServiceServicer_to_server",
                "8:python.grpcclient.stub ProductCatalogServiceStub",
            ],
        ),
        (
            "index.js",
            "const grpc = require('@grpc/grpc-js');\nserver.addService(shop.PaymentService.service, { charge });\nconst c = new shop.CurrencyService(addr, grpc.credentials.createInsecure());\nconst d = new Date(a, b);\nconst e = createPromiseClient(ElizaService, transport);\n",
            &[
                "2:js.grpcserver.add-service serves PaymentService",
                "3:js.grpcclient.new-client CurrencyService",
                "5:js.grpcclient.connect-client ElizaService",
            ],
        ),
        (
            "Ad.gateway.ts",
            "import { ChannelCredentials } from '@grpc/grpc-js';\nconst client = new AdServiceClient(AD_ADDR, ChannelCredentials.createInsecure());\n",
            &["2:js.grpcclient.new-client AdServiceClient"],
        ),
        (
            "AdService.java",
            "class AdService {\n  void f() {\n    var s = CartServiceGrpc.newBlockingStub(channel);\n    var t = CartServiceStub.newStub(factory, channel);\n  }\n  static class AdServiceImpl extends AdServiceGrpc.AdServiceImplBase {}\n  static class Other extends Base {}\n}\n",
            &["3:java.grpcclient.new-stub CartServiceGrpc", "6:java.grpcserver.impl-base serves AdServiceImplBase"],
        ),
        (
            "CartService.cs",
            "using Grpc.Core;\nclass CartService : Oteldemo.CartService.CartServiceBase {\n  void F() {\n    var c = new Catalog.CatalogClient(channel);\n    services.AddGrpcClient<Basket.BasketClient>(o => {});\n    var h = new HttpClient();\n  }\n}\n",
            &[
                "2:csharp.grpcserver.base serves CartServiceBase",
                "4:csharp.grpcclient.new-client CatalogClient",
                "5:csharp.grpcclient.add-grpc-client BasketClient",
            ],
        ),
        (
            "server.cpp",
            "class CurrencyServiceImpl final : public oteldemo::CurrencyService::Service {};\nauto stub = hipstershop::CartService::NewStub(channel);\n",
            &["1:cpp.grpcserver.service serves CurrencyService", "2:cpp.grpcclient.new-stub CartService"],
        ),
        (
            "email_server.rb",
            "class EmailServer < Hipstershop::EmailService::Service\nend\nstub = Hipstershop::CartService::Stub.new(addr, :this_channel_is_insecure)\n",
            &["1:ruby.grpcserver.service serves EmailService", "3:ruby.grpcclient.stub CartService"],
        ),
        (
            "main.rs",
            "fn main() {\n    let c = CartServiceClient::connect(addr);\n    Server::builder().add_service(shipping_service_server::ShippingServiceServer::new(svc));\n    let h = reqwest::Client::new();\n}\n",
            &["2:rust.grpcclient.client CartServiceClient", "3:rust.grpcserver.server serves ShippingServiceServer"],
        ),
    ];
    for (file, source, expected) in cases {
        assert_eq!(stubs_of(file, source), *expected, "{file}");
    }
}
