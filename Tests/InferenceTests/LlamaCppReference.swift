import AegisCore
import Foundation

/// llama.cpp's outputs for SmolLM2 (Fixtures/smollm2-llamacpp-reference.json).
struct LlamaCppReference: Decodable {
    struct TeacherForced: Decodable {
        struct Position: Decodable {
            let top_ids: [TokenID]
            let top_logprobs: [Double]
        }
        let text: String
        let ids: [TokenID]
        let positions: [Position]
    }
    struct Greedy: Decodable {
        let prompt_ids: [TokenID]
        let greedy_ids: [TokenID]
    }
    let teacher_forced: [TeacherForced]
    let greedy: [Greedy]

    static func load() throws -> LlamaCppReference {
        guard let url = Bundle.module.url(forResource: "smollm2-llamacpp-reference", withExtension: "json",
                                          subdirectory: "Fixtures") else {
            throw InvalidInput("the llama.cpp reference fixture is missing from the test bundle")
        }
        return try JSONDecoder().decode(LlamaCppReference.self, from: Data(contentsOf: url))
    }
}
