import Foundation
import Testing
@testable import Inference

/// Loading refuses what it cannot run, with the one-line errors the CLI prints.
@Suite struct ModelLoadingTests {
    /// A minimal GGUF v3 file with string metadata and no tensors.
    static func writeGGUF(metadata: [(String, String)]) throws -> String {
        var bytes = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes.append(contentsOf: Array(s.utf8)) }
        u32(0x4655_4747); u32(3); u64(0); u64(UInt64(metadata.count))
        for (key, value) in metadata { string(key); u32(8); string(value) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID()).gguf").path
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func unsupportedArchitectureIsRefused() throws {
        let path = try Self.writeGGUF(metadata: [("general.architecture", "gpt2")])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GGUFError.unsupportedArchitecture("gpt2")) { try LanguageModel(path: path) }
        #expect(GGUFError.unsupportedArchitecture("gpt2").description.contains("'llama' and 'qwen2'"))
    }

    @Test func missingHyperParametersAreNamed() throws {
        let path = try Self.writeGGUF(metadata: [("general.architecture", "llama")])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GGUFError.missingMetadata(key: "llama.embedding_length")) { try LanguageModel(path: path) }
    }

    @Test func smolLM2ConfigurationIsRead() throws {
        try #require(TestModel.isInstalled, "run scripts/fetch-model first")
        let c = try LanguageModel(path: TestModel.path).configuration
        #expect(c.architecture == "llama" && c.ropeStyle == .interleaved)
        #expect(c.embeddingLength == 576 && c.blockCount == 30 && c.feedForwardLength == 1536)
        #expect(c.headCount == 9 && c.keyValueHeadCount == 3 && c.headDimension == 64)
        #expect(c.ropeBase == 100_000 && c.contextLength == 8192 && c.vocabularySize == 49152)
        #expect(!c.hasAttentionBias)
    }
}
