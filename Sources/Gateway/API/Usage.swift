import AegisCore

/// Token counts of one exchange.
public struct Usage: Sendable, Equatable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens generated.
    public var completionTokens: Int
    /// True when the upstream did not report usage and the gateway counted it
    /// itself (stream chunks for the completion, bytes/4 for the prompt).
    public var estimated: Bool

    /// Creates usage figures.
    public init(promptTokens: Int, completionTokens: Int, estimated: Bool = false) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.estimated = estimated
    }

    /// Prompt plus completion.
    public var totalTokens: Int { promptTokens + completionTokens }

    /// Reads an OpenAI `usage` object.
    init?(_ json: JSONValue?) {
        guard let json, let prompt = json["prompt_tokens"]?.intValue, let completion = json["completion_tokens"]?.intValue else {
            return nil
        }
        self.init(promptTokens: prompt, completionTokens: completion)
    }

    /// As an OpenAI `usage` object.
    var json: String {
        "{\"prompt_tokens\":\(promptTokens),\"completion_tokens\":\(completionTokens),\"total_tokens\":\(totalTokens)}"
    }
}

/// What the gateway keeps of an answer for the log: each choice's text and finish reason, and usage.
struct ResponseSummary: Sendable {
    struct Choice: Sendable {
        var text = ""
        var finishReason: String?
        /// Stream chunks that carried text (≈ tokens, for estimating usage).
        var chunks = 0
    }

    var choices: [Choice] = []
    var usage: Usage?
    /// The upstream's error object, if it answered one.
    var error: JSONValue?

    mutating func choice(_ index: Int) -> Int {
        let index = max(0, min(index, 127))
        while choices.count <= index { choices.append(Choice()) }
        return index
    }

    /// The text of one choice of a whole answer: `message.content` (chat) or `text` (completions).
    static func text(ofChoice choice: JSONValue) -> String {
        choice["message"]?["content"]?.stringValue ?? choice["text"]?.stringValue ?? ""
    }

    /// Reads a whole (non-streamed) completion or error body.
    init(completion json: JSONValue?) {
        guard let json else { return }
        if let error = json["error"] { self.error = error }
        usage = Usage(json["usage"])
        for element in json["choices"]?.arrayValue ?? [] {
            let index = choice(element["index"]?.intValue ?? choices.count)
            choices[index].text = Self.text(ofChoice: element)
            choices[index].finishReason = element["finish_reason"]?.stringValue
        }
    }

    init() {}

    /// Folds in one streamed chunk's JSON; returns true when the chunk carries only usage.
    mutating func add(chunk json: JSONValue) -> Bool {
        if let error = json["error"] { self.error = error }
        if let usage = Usage(json["usage"]) { self.usage = usage }
        let elements = json["choices"]?.arrayValue ?? []
        for element in elements {
            let index = choice(element["index"]?.intValue ?? 0)
            if let text = element["delta"]?["content"]?.stringValue ?? element["text"]?.stringValue, !text.isEmpty {
                choices[index].text += text
                choices[index].chunks += 1
            }
            if let reason = element["finish_reason"]?.stringValue { choices[index].finishReason = reason }
        }
        return elements.isEmpty && json["usage"].map { !$0.isNull } == true
    }

    /// The `response` member of the exchange-log line (written by AegisCore's ``ExchangeLineWriter``).
    func exchangeResponse(status: Int) -> ExchangeResponse {
        var response = ExchangeResponse(status: status, choices: choices.map {
            ExchangeResponse.Choice(text: $0.text, finishReason: $0.finishReason)
        })
        if let usage {
            response.usage = ExchangeResponse.Usage(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
                                                    extra: ["total_tokens": .number(Double(usage.totalTokens))])
            if usage.estimated { response.extra["usage_estimated"] = true }
        }
        if let error { response.extra["error"] = error }
        return response
    }
}
