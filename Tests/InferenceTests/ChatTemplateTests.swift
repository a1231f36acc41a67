import AegisCore
import Foundation
import Testing
@testable import Inference

@Suite struct ChatTemplateTests {
    static let smolLM2System = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

    /// The user message inside a fixture prompt "<|im_start|>user\n…<|im_end|>\n<|im_start|>assistant\n".
    static func userMessage(in prompt: String) throws -> String {
        let opening = try #require(prompt.range(of: "<|im_start|>user\n"))
        let closing = try #require(prompt.range(of: "<|im_end|>", range: opening.upperBound..<prompt.endIndex))
        return String(prompt[opening.upperBound..<closing.lowerBound])
    }

    @Test func recognisesSmolLM2sTemplateAndItsDefaultSystemPrompt() throws {
        let gguf = try #require(SmolLM2Tokenizer.gguf, "run scripts/fetch-model first")
        let template = try ChatTemplate(gguf: gguf)
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == Self.smolLM2System)
        #expect(template.render([.user("Hi")]) ==
            "<|im_start|>system\n\(Self.smolLM2System)<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        #expect(template.render([.system("Be brief."), .user("Hi")], addGenerationPrompt: false) ==
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n")
        #expect(template.render([]) == "<|im_start|>assistant\n")
    }

    @Test func rendersTheFixturesGreedyPromptsToLlamaCppsIDs() throws {
        let gguf = try #require(SmolLM2Tokenizer.gguf, "run scripts/fetch-model first")
        let tokenizer = try #require(SmolLM2Tokenizer.shared)
        var template = try ChatTemplate(gguf: gguf)
        let reference = try LlamaCppTokenizerReference.load()
        try #require(!reference.greedy.isEmpty)
        for sample in reference.greedy {
            let messages = [ChatMessage.user(try Self.userMessage(in: sample.prompt))]
            // The fixture's prompts carry no system turn; the template's own rendering adds SmolLM2's.
            template.defaultSystemPrompt = Self.smolLM2System
            let withDefault = template.render(messages)
            #expect(withDefault == "<|im_start|>system\n\(Self.smolLM2System)<|im_end|>\n" + sample.prompt)
            #expect(tokenizer.encode(withDefault).suffix(sample.prompt_ids.count) == ArraySlice(sample.prompt_ids))
            template.defaultSystemPrompt = nil
            let plain = template.render(messages)
            #expect(plain == sample.prompt)
            #expect(tokenizer.encode(plain) == sample.prompt_ids)
        }
    }

    @Test func readsAQwenStyleDefaultSystemPrompt() throws {
        let template = try ChatTemplate(template: """
            {%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\
            {%- else %}{{- '<|im_start|>system\\nYou are Qwen, a helpful assistant.<|im_end|>\\n' }}{%- endif %}
            """)
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == "You are Qwen, a helpful assistant.")
        #expect(template.render([.user("2+2?")]).hasPrefix("<|im_start|>system\nYou are Qwen, a helpful assistant.<|im_end|>\n"))
    }

    @Test func plainChatMLHasNoDefaultSystemPrompt() throws {
        let template = try ChatTemplate(template:
            "{% for m in messages %}{{'<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>' + '\\n'}}{% endfor %}")
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == nil)
        #expect(template.render([.user("Hi")]) == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func rendersLlama3() throws {
        let template = try ChatTemplate(template:
            "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}")
        #expect(template.family == .llama3)
        #expect(template.render([.system("Be brief. "), .user(" Hi\n")]) ==
            "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n")
    }

    @Test func rendersGemmaWithSystemTextInTheFirstUserTurn() throws {
        let template = try ChatTemplate(template: "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}")
        #expect(template.family == .gemma)
        #expect(template.render([.system("Be brief."), .user("Hi"), .assistant("Hello."), .user("Bye")]) ==
            "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello.<end_of_turn>\n"
            + "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n")
    }

    @Test func rendersLlama2WithSystemBlocks() throws {
        let template = try ChatTemplate(template:
            "{{ bos_token + '[INST] ' + '<<SYS>>\\n' + system + '\\n<</SYS>>\\n\\n' + content.strip() + ' [/INST]' }}")
        #expect(template.family == .llama2)
        #expect(template.render([.system("Be brief."), .user(" Hi "), .assistant("Hello."), .user("Bye")]) ==
            "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST]Hello.</s><s>[INST] Bye [/INST]")  // bos_token + '[INST]: <s> inside history
    }

    @Test func rendersMistralV3() throws {
        let template = try ChatTemplate(template: "{{ '[INST] ' + content + '[/INST]' }}{# [AVAILABLE_TOOLS] #}")
        #expect(template.family == .mistral)
        #expect(template.render([.user("Hi"), .assistant(" Hello. "), .user("Bye")]) ==
            "[INST] Hi[/INST] Hello.</s>[INST] Bye[/INST]")
    }

    @Test func unknownTemplateIsAClearErrorNamingIt() {
        let template = "{% for message in messages %}<<turn>>{{ message.content }}{% endfor %}"
        #expect {
            try ChatTemplate(template: template)
        } throws: { error in
            guard case let .unknownChatTemplate(prefix) = error as? TokenizerError else { return false }
            return prefix.hasPrefix("{% for message in messages %}<<turn>>{{ ")
                && (error as? TokenizerError)?.description.contains(prefix) == true
        }
    }

    @Test func messagesDecodeFromOpenAIJSON() throws {
        let json = Data(#"[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]"#.utf8)
        let messages = try JSONDecoder().decode([ChatMessage].self, from: json)
        #expect(messages == [.system("Be brief."), .user("Hi")])
    }
}
