; Web and RPC frameworks, and the ports Go servers listen on.
; triggers: gin.Default gin.New echo.New fiber.New chi.NewRouter mux.NewRouter grpc.NewServer ListenAndServe .Run(" .Listen(" .Start(" net.Listen

((call_expression function: (selector_expression operand: (identifier) @_p field: (field_identifier) @_f))
 (#eq? @_p "gin") (#any-of? @_f "Default" "New")) @go.framework.gin
((call_expression function: (selector_expression operand: (identifier) @_p field: (field_identifier) @_f))
 (#eq? @_p "echo") (#eq? @_f "New")) @go.framework.echo
((call_expression function: (selector_expression operand: (identifier) @_p field: (field_identifier) @_f))
 (#eq? @_p "fiber") (#eq? @_f "New")) @go.framework.fiber
((call_expression function: (selector_expression operand: (identifier) @_p field: (field_identifier) @_f))
 (#eq? @_p "chi") (#eq? @_f "NewRouter")) @go.framework.chi
((call_expression function: (selector_expression operand: (identifier) @_p field: (field_identifier) @_f))
 (#eq? @_p "mux") (#eq? @_f "NewRouter")) @go.framework.gorilla
((call_expression function: (selector_expression operand: (identifier) @_p field: (field_identifier) @_f))
 (#eq? @_p "grpc") (#eq? @_f "NewServer")) @go.framework.grpc-server

; http.ListenAndServe(":8080", h), r.Run(":8080"), app.Listen(":3000"), e.Start(":1323")
((call_expression
   function: (selector_expression field: (field_identifier) @_f)
   arguments: (argument_list . (interpreted_string_literal (interpreted_string_literal_content) @port)))
 (#any-of? @_f "ListenAndServe" "ListenAndServeTLS" "Run" "Listen" "Start")
 (#match? @port ":[0-9]+$")) @go.listen.address

; net.Listen("tcp", ":8080")
((call_expression
   function: (selector_expression operand: (identifier) @_net field: (field_identifier) @_f)
   arguments: (argument_list (interpreted_string_literal) . (interpreted_string_literal (interpreted_string_literal_content) @port)))
 (#eq? @_net "net") (#eq? @_f "Listen")
 (#match? @port ":[0-9]+$")) @go.listen.net

; r.Run(":" + os.Getenv("PORT")), net.Listen("tcp", fmt.Sprintf(":%s", os.Getenv("PORT")))
((call_expression
   function: (selector_expression field: (field_identifier) @_f)
   arguments: (argument_list (_ (call_expression
     function: (selector_expression operand: (identifier) @_os field: (field_identifier) @_g)
     arguments: (argument_list . (interpreted_string_literal (interpreted_string_literal_content) @name))))))
 (#any-of? @_f "ListenAndServe" "Run" "Listen" "Start")
 (#eq? @_os "os") (#eq? @_g "Getenv")) @go.listen.env
