import AegisCore

/// What a request asks for apart from its words: which stream of the account
/// it belongs to, the tool environment it brings, the trajectory it carries,
/// the answer length it requests, and what was wrong with it.
///
/// Read once per exchange on the parser threads; the text itself is analysed
/// by ``TextAnalyzer``.
struct RequestShape {
    /// The system (or developer) prompt, empty when none.
    var system = ""
    /// The request's `user` field (the end user of a router or reseller), empty when none.
    var endUser = ""
    /// Order-independent fingerprint of the tool names and their parameter names; 0 when no tools.
    var toolSchema: UInt64 = 0
    /// Assistant tool calls in the history (a trajectory the client sends back).
    var toolCalls = 0
    /// Tool results in the history.
    var toolResults = 0
    /// `max_tokens` (or `max_completion_tokens`) asked for; nil when absent or not a number.
    var maxTokens: Double?
    /// Nothing to answer: no `messages`, `prompt` or `input`.
    var missingPrompt = false

    /// Reads the shape of a request body; never fails, whatever the body holds.
    init(_ request: JSONValue) {
        endUser = request["user"]?.stringValue ?? ""
        maxTokens = request["max_tokens"]?.doubleValue ?? request["max_completion_tokens"]?.doubleValue
        if let messages = request["messages"]?.arrayValue {
            for m in messages {
                switch m["role"]?.stringValue {
                case "system"?, "developer"?:
                    if case .string(let s)? = m["content"] { system = s }
                case "assistant"?:
                    toolCalls += m["tool_calls"]?.arrayValue?.count ?? (m["function_call"] == nil ? 0 : 1)
                case "tool"?, "function"?:
                    toolResults += 1
                default: break
                }
            }
            missingPrompt = messages.isEmpty
        } else {
            missingPrompt = request["prompt"] == nil && request["input"] == nil
        }
        if let tools = request["tools"]?.arrayValue ?? request["functions"]?.arrayValue, !tools.isEmpty {
            var fingerprint: UInt64 = 0x746F_6F6C
            for tool in tools {
                let function = tool["function"] ?? tool
                var h = KeyedHash.unkeyed.hash(function["name"]?.stringValue ?? "?")
                if let properties = function["parameters"]?["properties"]?.objectValue {
                    // Parameter names, order-independent: environments are generated, not hand-ordered.
                    var p: UInt64 = 0
                    for key in properties.keys { p &+= KeyedHash.unkeyed.hash(key) }
                    h = KeyedHash.fold(h ^ p, 0x9E37_79B9_7F4A_7C15)
                }
                // Sum of per-tool hashes: the same set of tools in any order gives the same fingerprint.
                fingerprint &+= h
            }
            toolSchema = fingerprint | 1
        }
    }

    /// Tool calls in the history that no tool result answers.
    var unansweredToolCalls: Int { max(0, toolCalls - toolResults) }
}
