/// What the API answered to one exchange.
public struct ExchangeResponse: Sendable, Codable, Equatable {
    /// The HTTP status.
    public var status: Int?
    /// The generated choices (one unless the request asked for `n > 1`).
    public var choices: [Choice]
    /// Token counts.
    public var usage: Usage?
    /// Fields this version does not know, kept verbatim.
    public var extra: [String: JSONValue]

    /// Creates a response.
    public init(status: Int? = nil, choices: [Choice] = [], usage: Usage? = nil, extra: [String: JSONValue] = [:]) {
        self.status = status
        self.choices = choices
        self.usage = usage
        self.extra = extra
    }

    /// One generated answer.
    public struct Choice: Sendable, Codable, Equatable {
        /// The text generated.
        public var text: String?
        /// Why generation stopped: `stop`, `length` (hit max_tokens), `tool_calls`…
        /// JSON `finish_reason`.
        public var finishReason: String?
        /// Fields this version does not know, kept verbatim.
        public var extra: [String: JSONValue]

        /// Creates a choice.
        public init(text: String? = nil, finishReason: String? = nil, extra: [String: JSONValue] = [:]) {
            self.text = text
            self.finishReason = finishReason
            self.extra = extra
        }
    }

    /// Token counts of one exchange.
    public struct Usage: Sendable, Codable, Equatable {
        /// Tokens in the prompt. JSON `prompt_tokens`.
        public var promptTokens: Int?
        /// Tokens generated. JSON `completion_tokens`.
        public var completionTokens: Int?
        /// Fields this version does not know, kept verbatim.
        public var extra: [String: JSONValue]

        /// Creates token counts.
        public init(promptTokens: Int? = nil, completionTokens: Int? = nil, extra: [String: JSONValue] = [:]) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.extra = extra
        }
    }
}
