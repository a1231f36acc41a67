import AegisCore

extension PolicyDecision.Withholding {
    /// The answer fields this withholding removes from each choice: from the
    /// message of a whole answer, from the delta of a streamed chunk.
    private var messageFields: [String] {
        contains(.reasoning) ? ["reasoning_content", "reasoning"] : []
    }

    /// True when an answer may need rewriting (the common case, nothing withheld, costs nothing).
    var affectsAnswers: Bool { contains(.reasoning) || contains(.logprobs) }

    /// A completion (whole or one streamed chunk) with the withheld fields
    /// removed, or nil when it had none of them (forward the original bytes).
    func filter(_ completion: JSONValue) -> JSONValue? {
        guard affectsAnswers, let choices = completion["choices"]?.arrayValue else { return nil }
        var changed = false
        let filtered = choices.map { choice -> JSONValue in
            var choice = choice
            if contains(.logprobs), let logprobs = choice["logprobs"], !logprobs.isNull {
                choice = choice.setting("logprobs", to: .null)
                changed = true
            }
            for part in ["message", "delta"] {
                guard let inner = choice[part] else { continue }
                for field in messageFields where inner[field] != nil {
                    choice = choice.setting(part, to: (choice[part] ?? inner).removing(field))
                    changed = true
                }
            }
            return choice
        }
        // Not a ternary: `JSONValue` is ExpressibleByNilLiteral, so `: nil` there would be `.null`.
        guard changed else { return nil }
        return completion.setting("choices", to: .array(filtered))
    }
}
