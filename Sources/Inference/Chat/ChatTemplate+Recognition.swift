extension ChatTemplate {
    /// The family, variant and default system prompt a template's text shows.
    static func recognise(_ template: String) throws(TokenizerError)
        -> (family: Family, variant: Variant, defaultSystemPrompt: String?) {
        func has(_ marker: String) -> Bool { template.firstRange(of: marker) != nil }
        var variant = Variant()
        if has("<|im_start|>") {
            return (.chatML, variant, chatMLDefaultSystemPrompt(in: template))
        }
        if has("[INST]") {
            if has("' [INST] ' + system_message") || has("[AVAILABLE_TOOLS]") {
                variant.spaceBeforeMarkers = has(" [INST]")
                variant.spaceAfterMarkers = variant.spaceBeforeMarkers || !has("\"[INST]\"")
                variant.trimsAnswers = !variant.spaceBeforeMarkers && variant.spaceAfterMarkers
                return (.mistral, variant, nil)
            }
            variant.systemBlocks = has("<<SYS>>")
            variant.bosInsideHistory = has("bos_token + '[INST]")
            variant.stripsMessages = has("content.strip()")
            return (.llama2, variant, nil)
        }
        if has("<|start_header_id|>"), has("<|end_header_id|>") {
            return (.llama3, variant, nil)
        }
        if has("<start_of_turn>") {
            return (.gemma, variant, nil)
        }
        let firstLine = template.prefix(40).replacing("\n", with: "\\n")
        throw .unknownChatTemplate(String(firstLine) + (template.count > 40 ? "…" : ""))
    }

    /// The text of a literal `<|im_start|>system\n…<|im_end|>` in the template
    /// (the system turn it writes when the conversation has none), or nil when
    /// every system turn is built from a message.
    static func chatMLDefaultSystemPrompt(in template: String) -> String? {
        // In the Jinja source the newline is either a real newline or the escape "\n".
        for opening in ["<|im_start|>system\n", "<|im_start|>system\\n"] {
            var rest = template[...]
            while let found = rest.firstRange(of: opening) {
                rest = rest[found.upperBound...]
                guard let close = rest.firstRange(of: "<|im_end|>") else { break }
                let literal = rest[..<close.lowerBound]
                // A quote before the end means the literal stops and a message's content follows.
                if !literal.isEmpty, !literal.contains("'"), !literal.contains("\"") {
                    return String(literal).replacing("\\n", with: "\n")
                }
            }
        }
        return nil
    }
}
