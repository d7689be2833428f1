; C++ HTTP servers and the ports they listen on.
; triggers: drogon crow httplib Pistache beast

; Drogon: drogon::app().addListener("0.0.0.0", 8080)
((qualified_identifier scope: (namespace_identifier) @_ns name: (identifier) @_app)
 (#eq? @_ns "drogon") (#eq? @_app "app")) @cpp.framework.drogon

((call_expression
   function: (field_expression field: (field_identifier) @_m)
   arguments: (argument_list . (string_literal) . (number_literal) @port))
 (#eq? @_m "addListener")) @cpp.listen.drogon

; Crow: crow::SimpleApp app; app.port(18080)
((qualified_identifier scope: (namespace_identifier) @_ns name: (type_identifier) @_t)
 (#eq? @_ns "crow") (#any-of? @_t "SimpleApp" "App")) @cpp.framework.crow

((call_expression
   function: (field_expression field: (field_identifier) @_m)
   arguments: (argument_list . (number_literal) @port .))
 (#eq? @_m "port")) @cpp.listen.crow

; cpp-httplib: httplib::Server svr; svr.listen("0.0.0.0", 8080)
((qualified_identifier scope: (namespace_identifier) @_ns name: (type_identifier) @_t)
 (#eq? @_ns "httplib") (#any-of? @_t "Server" "SSLServer")) @cpp.framework.httplib

((call_expression
   function: (field_expression field: (field_identifier) @_m)
   arguments: (argument_list . (string_literal) . (number_literal) @port .))
 (#eq? @_m "listen")) @cpp.listen.httplib

; Pistache: Pistache::Http::Endpoint, Address(Ipv4::any(), Port(9080))
((qualified_identifier scope: (namespace_identifier) @_ns)
 (#eq? @_ns "Pistache")) @cpp.framework.pistache

((call_expression
   function: (identifier) @_p
   arguments: (argument_list . (number_literal) @port .))
 (#eq? @_p "Port")) @cpp.listen.pistache

; Boost.Beast: namespace beast = boost::beast / boost::beast::http
((qualified_identifier scope: (namespace_identifier) @_b name: (qualified_identifier scope: (namespace_identifier) @_beast))
 (#eq? @_b "boost") (#eq? @_beast "beast")) @cpp.framework.beast
