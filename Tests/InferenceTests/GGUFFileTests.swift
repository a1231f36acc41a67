import Foundation
import Testing
@testable import Inference

/// The model `scripts/fetch-model` installs; `make test` runs that script first.
enum TestModel {
    static var path: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
    }

    static var isInstalled: Bool { FileManager.default.fileExists(atPath: path) }
}

@Suite struct GGUFFileTests {
    @Test func readsSmolLM2Metadata() throws {
        try #require(TestModel.isInstalled, "run scripts/fetch-model first")
        let gguf = try GGUFFile(path: TestModel.path)
        #expect(gguf.version == 3)
        #expect(try gguf.string("general.architecture") == "llama")
        #expect(try gguf.array("tokenizer.ggml.tokens").count == 49152)
        let embedding = try gguf.tensor("token_embd.weight")
        #expect(embedding.shape == [576, 49152])
    }

    @Test func rejectsANonGGUFFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-model-\(UUID()).gguf").path
        try Data("hello world, not a model".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GGUFError.notGGUF(path: path)) { try GGUFFile(path: path) }
    }

    @Test func rejectsATruncatedFile() throws {
        try #require(TestModel.isInstalled, "run scripts/fetch-model first")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("truncated-\(UUID()).gguf").path
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: TestModel.path))
        let head = try handle.read(upToCount: 1 << 20) ?? Data()
        try head.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try GGUFFile(path: path)
        } throws: { error in
            if case .truncated = error as? GGUFError { return true }
            return false
        }
    }
}
