extension ChatTemplate {
    /// The prompt text for `messages`; with `addGenerationPrompt`, followed by
    /// the opening of the assistant's turn, so the model writes the answer next.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        switch family {
        case .chatML: return renderChatML(messages, addGenerationPrompt)
        case .llama3: return renderLlama3(messages, addGenerationPrompt)
        case .gemma: return renderGemma(messages, addGenerationPrompt)
        case .llama2: return renderLlama2(messages)
        case .mistral: return renderMistral(messages)
        }
    }

    private func renderChatML(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) -> String {
        var text = ""
        if let defaultSystemPrompt, let first = messages.first, first.role != "system" {
            text += "<|im_start|>system\n\(defaultSystemPrompt)<|im_end|>\n"
        }
        for message in messages {
            text += "<|im_start|>\(message.role)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }

    private func renderLlama3(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) -> String {
        var text = ""
        for message in messages {
            text += "<|start_header_id|>\(message.role)<|end_header_id|>\n\n\(Self.trimmed(message.content))<|eot_id|>"
        }
        if addGenerationPrompt { text += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        return text
    }

    /// Gemma has no system role: system text opens the next user turn.
    private func renderGemma(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) -> String {
        var text = ""
        var system = ""
        for message in messages {
            if message.role == "system" {
                system += Self.trimmed(message.content)
                continue
            }
            let role = message.role == "assistant" ? "model" : message.role
            text += "<start_of_turn>\(role)\n"
            if !system.isEmpty, role != "model" {
                text += system + "\n\n"
                system = ""
            }
            text += Self.trimmed(message.content) + "<end_of_turn>\n"
        }
        if addGenerationPrompt { text += "<start_of_turn>model\n" }
        return text
    }

    /// Llama 2: the generation prompt is implicit (a turn ends with `[/INST]`).
    private func renderLlama2(_ messages: [ChatMessage]) -> String {
        var text = "[INST] "
        var insideTurn = true
        for message in messages {
            let content = variant.stripsMessages ? Self.trimmed(message.content) : message.content
            if !insideTurn {
                text += variant.bosInsideHistory ? "<s>[INST] " : "[INST] "
                insideTurn = true
            }
            switch message.role {
            case "system":
                text += variant.systemBlocks ? "<<SYS>>\n\(content)\n<</SYS>>\n\n" : content + "\n"
            case "user":
                text += content + " [/INST]"
            default:
                text += content + "</s>"
                insideTurn = false
            }
        }
        return text
    }

    /// Mistral: the generation prompt is implicit (a turn ends with `[/INST]`).
    private func renderMistral(_ messages: [ChatMessage]) -> String {
        let before = variant.spaceBeforeMarkers ? " " : ""
        let after = variant.spaceAfterMarkers ? " " : ""
        var text = ""
        var insideTurn = false
        for message in messages {
            if !insideTurn {
                text += before + "[INST]" + after
                insideTurn = true
            }
            switch message.role {
            case "system":
                text += message.content + "\n\n"
            case "user":
                text += message.content + before + "[/INST]"
            default:
                text += after + (variant.trimsAnswers ? Self.trimmed(message.content) : message.content) + "</s>"
                insideTurn = false
            }
        }
        return text
    }

    /// `content` without leading and trailing whitespace (Jinja's `trim`).
    static func trimmed(_ content: String) -> String {
        let scalars = content.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
