import AegisCore
import Foundation
import Inference
import Store
import Testing
import Watermark
@testable import Gateway

@Suite struct EngineUpstreamTests {
    static var modelPath: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
    }

    /// The built-in engine's answers carry the watermark and the account's payload.
    @Test func answersAreWatermarkedWithTheAccountsPayload() async throws {
        var watermark = WatermarkConfiguration(scheme: .kgw, key: try WatermarkKey(bytes: Array(repeating: 7, count: 32)))
        watermark.payloadBits = 8
        let engine = try EngineUpstream(path: Self.modelPath, modelID: "smollm2", watermark: watermark)
        let body = #"{"model":"smollm2","max_tokens":200,"temperature":0.8,"seed":11,"messages":[{"role":"user","content":"Write a long story about a lighthouse keeper and the sea."}]}"#
        let answer = try await withGateway(upstream: engine) { gateway in
            let key = try await gateway.store.createKey(account: "acct_engine", limits: RateLimits()).secret
            let response = try await gateway.send("/v1/chat/completions", key: key, body: body)
            #expect(response.status == 200)
            let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
            let message = (json?["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]
            return message?["content"] as? String ?? ""
        }
        let gguf = try GGUFFile(path: Self.modelPath)
        let tokens = try Tokenizer(gguf: gguf).encode(answer, parseSpecialTokens: false)
        #expect(tokens.count > 100)
        let verdict = try WatermarkDetector(configuration: watermark).detect(tokens: tokens)
        #expect(verdict.pValue < 1e-3)
        #expect(verdict.payload == AccountPayload.payload(account: "acct_engine", bits: 8))
    }
}
