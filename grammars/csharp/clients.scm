; Connection-string and service URL literals (`postgres://…`, `redis://…`, `http://api:8080`).
; triggers: @quoted-url

((string_literal (string_literal_content) @url)
 (#match? @url "^[a-z][a-z0-9+.-]*://")) @csharp.literal.url

; Dapr building blocks used through the Dapr client (the tree's components
; of that block say which system serves them).
; triggers: PublishEventAsync PublishBulkEventAsync Topic StateAsync InvokeBindingAsync GetSecretAsync

((invocation_expression
   function: (member_access_expression name: [(identifier) @_m (generic_name (identifier) @_m)]))
 (#any-of? @_m "PublishEventAsync" "PublishBulkEventAsync")) @csharp.dapr.pubsub

((attribute name: (identifier) @_a (attribute_argument_list))
 (#eq? @_a "Topic")) @csharp.dapr.pubsub

((invocation_expression
   function: (member_access_expression
     expression: [(identifier) @_c (member_access_expression name: (identifier) @_c)]
     name: [(identifier) @_m (generic_name (identifier) @_m)]))
 (#match? @_c "[Dd]apr|StateManager")
 (#any-of? @_m "GetStateAsync" "TryGetStateAsync" "SaveStateAsync" "SetStateAsync" "DeleteStateAsync" "GetBulkStateAsync" "ExecuteStateTransactionAsync" "GetStateAndETagAsync" "TrySaveStateAsync")) @csharp.dapr.state

((invocation_expression
   function: (member_access_expression name: [(identifier) @_m (generic_name (identifier) @_m)]))
 (#eq? @_m "InvokeBindingAsync")) @csharp.dapr.bindings

((invocation_expression
   function: (member_access_expression name: [(identifier) @_m (generic_name (identifier) @_m)]))
 (#any-of? @_m "GetSecretAsync" "GetBulkSecretAsync")
 (#match? @_m "Secret")) @csharp.dapr.secretstores
