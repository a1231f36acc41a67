import AegisCore
import Foundation
import Testing
@testable import Inference

/// SmolLM2's tokenizer, read once for all tokenizer tests.
enum SmolLM2Tokenizer {
    static let gguf: GGUFFile? = try? GGUFFile(path: TestModel.path)
    static let shared: Tokenizer? = gguf.flatMap { try? Tokenizer(gguf: $0) }
}

/// llama.cpp's reference tokenizations, from the fixture shared with the inference tests.
struct LlamaCppTokenizerReference: Decodable {
    struct Tokenization: Decodable { var text: String; var ids: [TokenID] }
    struct Greedy: Decodable { var prompt: String; var prompt_ids: [TokenID] }
    struct TeacherForced: Decodable { var text: String; var ids: [TokenID] }
    var tokenizations: [Tokenization]
    var greedy: [Greedy]
    var teacher_forced: [TeacherForced]

    static func load() throws -> LlamaCppTokenizerReference {
        let url = try #require(Bundle.module.url(
            forResource: "smollm2-llamacpp-reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(LlamaCppTokenizerReference.self, from: Data(contentsOf: url))
    }
}

@Suite struct TokenizerTests {
    @Test func matchesLlamaCppOnEveryFixtureText() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        let reference = try LlamaCppTokenizerReference.load()
        #expect(reference.tokenizations.count >= 12)
        for sample in reference.tokenizations {
            #expect(tokenizer.encode(sample.text) == sample.ids, "\(sample.text.debugDescription)")
        }
        for sample in reference.greedy {
            #expect(tokenizer.encode(sample.prompt) == sample.prompt_ids, "\(sample.prompt.debugDescription)")
        }
        for sample in reference.teacher_forced {
            #expect(tokenizer.encode(sample.text) == sample.ids, "\(sample.text.debugDescription)")
        }
    }
}
