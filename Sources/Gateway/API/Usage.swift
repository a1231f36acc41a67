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
    init?(_ json: JSON?) {
        guard let json, let prompt = json["prompt_tokens"]?.int, let completion = json["completion_tokens"]?.int else {
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
    var error: String?

    mutating func choice(_ index: Int) -> Int {
        let index = max(0, min(index, 127))
        while choices.count <= index { choices.append(Choice()) }
        return index
    }

    /// Reads a whole (non-streamed) completion or error body.
    init(completion json: JSON?) {
        guard let json else { return }
        if let error = json["error"] { self.error = error.text }
        usage = Usage(json["usage"])
        for element in json["choices"]?.array ?? [] {
            let index = choice(element["index"]?.int ?? choices.count)
            choices[index].text = element["message"]?["content"]?.string ?? element["text"]?.string ?? ""
            choices[index].finishReason = element["finish_reason"]?.string
        }
    }

    init() {}

    /// Folds in one streamed chunk's JSON; returns true when the chunk carries only usage.
    mutating func add(chunk json: JSON) -> Bool {
        if let error = json["error"] { self.error = error.text }
        if let usage = Usage(json["usage"]) { self.usage = usage }
        let elements = json["choices"]?.array ?? []
        for element in elements {
            let index = choice(element["index"]?.int ?? 0)
            if let text = element["delta"]?["content"]?.string ?? element["text"]?.string, !text.isEmpty {
                choices[index].text += text
                choices[index].chunks += 1
            }
            if let reason = element["finish_reason"]?.string { choices[index].finishReason = reason }
        }
        return elements.isEmpty && json["usage"].map { !$0.isNull } == true
    }

    /// The `response` member of the exchange-log line.
    func logJSON(status: Int) -> String {
        var out = "{\"status\":\(status),\"choices\":["
        for (index, choice) in choices.enumerated() {
            if index > 0 { out += "," }
            out += "{\"text\":"
            JSONText.appendString(choice.text, to: &out)
            out += ",\"finish_reason\":"
            JSONText.appendOptionalString(choice.finishReason, to: &out)
            out += "}"
        }
        out += "]"
        if let usage {
            out += ",\"usage\":" + usage.json
            if usage.estimated { out += ",\"usage_estimated\":true" }
        }
        if let error { out += ",\"error\":" + error }
        out += "}"
        return out
    }
}
