import AegisCore
import Foundation
import Testing
@testable import Inference

/// Writes a GGUF file that holds only metadata, to build small vocabularies.
struct SyntheticGGUF {
    enum Value {
        case string(String)
        case strings([String])
        case ints([Int32])
        case uint32(UInt32)
        case bool(Bool)
    }

    var metadata: [(String, Value)]

    func write() throws -> String {
        var data = Data("GGUF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append(_ string: String) { append(UInt64(string.utf8.count)); data.append(contentsOf: Array(string.utf8)) }
        append(UInt32(3))
        append(UInt64(0))
        append(UInt64(metadata.count))
        for (key, value) in metadata {
            append(key)
            switch value {
            case let .string(text): append(UInt32(8)); append(text)
            case let .strings(texts): append(UInt32(9)); append(UInt32(8)); append(UInt64(texts.count)); texts.forEach { append($0) }
            case let .ints(values): append(UInt32(9)); append(UInt32(5)); append(UInt64(values.count)); values.forEach { append($0) }
            case let .uint32(value): append(UInt32(4)); append(value)
            case let .bool(flag): append(UInt32(7)); append(UInt8(flag ? 1 : 0))
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID()).gguf").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A byte-level vocabulary: the 256 byte symbols, then `extra` tokens, then `<|end|>` (control).
    static func vocabulary(extra: [String], merges: [String], pre: String?, model: String = "gpt2",
                           template: String? = nil) -> SyntheticGGUF {
        let bytes = (0..<256).map { String(Character(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!)) }
        let tokens = bytes + extra + ["<|end|>"]
        var metadata: [(String, Value)] = [
            ("tokenizer.ggml.model", .string(model)),
            ("tokenizer.ggml.tokens", .strings(tokens)),
            ("tokenizer.ggml.token_type", .ints(Array(repeating: 1, count: tokens.count - 1) + [3])),
            ("tokenizer.ggml.merges", .strings(merges)),
            ("tokenizer.ggml.eos_token_id", .uint32(UInt32(tokens.count - 1))),
        ]
        if let pre { metadata.append(("tokenizer.ggml.pre", .string(pre))) }
        if let template { metadata.append(("tokenizer.chat_template", .string(template))) }
        return SyntheticGGUF(metadata: metadata)
    }
}

@Suite struct TokenizerSyntheticTests {
    static func tokenizer(_ gguf: SyntheticGGUF) throws -> Tokenizer {
        let path = try gguf.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Tokenizer(gguf: GGUFFile(path: path))
    }

    static func error(_ gguf: SyntheticGGUF) throws -> TokenizerError? {
        let path = try gguf.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try GGUFFile(path: path)
        do {
            _ = try Tokenizer(gguf: file)
            return nil
        } catch {
            return error
        }
    }

    // Ids: bytes are 0...255 (byte b is token b), extras follow from 256.
    static let ab: TokenID = 256, abc: TokenID = 257, xyz: TokenID = 258, qrs: TokenID = 259

    static let vocabulary = SyntheticGGUF.vocabulary(
        extra: ["ab", "abc", "xyz", "qrs"], merges: ["a b", "ab c", "q r", "qr s"], pre: "gpt2")

    @Test func mergesByRankAndEndsInByteTokens() throws {
        let tokenizer = try Self.tokenizer(Self.vocabulary)
        let a = TokenID(UInt8(ascii: "a")), d = TokenID(UInt8(ascii: "d")), space = TokenID(ByteLevelAlphabet.byteForScalar[0x120])
        #expect(tokenizer.vocabularySize == 261)
        #expect(tokenizer.encode("abc") == [Self.abc])
        #expect(tokenizer.encode("abd") == [Self.ab, d])
        #expect(tokenizer.encode("a") == [a])
        #expect(tokenizer.encode(" abc") == [space, Self.abc])  // no merge joins the space
        #expect(tokenizer.decode(tokenizer.encode("abc abd xyz")) == "abc abd xyz")
        #expect(tokenizer.eosToken == 260 && tokenizer.isControl(260))
        #expect(tokenizer.encode("ab<|end|>") == [Self.ab, 260])
    }

    @Test func aMergeResultOutsideTheVocabularyFallsBackToBytes() throws {
        let tokenizer = try Self.tokenizer(Self.vocabulary)
        let q = TokenID(UInt8(ascii: "q")), r = TokenID(UInt8(ascii: "r"))
        #expect(tokenizer.encode("qrs") == [Self.qrs])  // through the virtual piece "qr"
        #expect(tokenizer.encode("qr") == [q, r])       // "qr" itself is no token
    }

    @Test func llama3TakesWholeWordsThatAreTokens() throws {
        var gguf = Self.vocabulary
        gguf.metadata = gguf.metadata.map { $0.0 == "tokenizer.ggml.pre" ? ($0.0, .string("llama-bpe")) : $0 }
        let llama3 = try Self.tokenizer(gguf)
        #expect(llama3.preTokenizer == .llama3)
        #expect(llama3.addsBOSToken)
        #expect(llama3.encode("xyz") == [Self.xyz])  // no merge leads there, but the word is a token
        let gpt2 = try Self.tokenizer(Self.vocabulary)
        #expect(gpt2.encode("xyz").count == 3)
    }

    @Test func unknownPreTokenizerIsAClearError() throws {
        let error = try Self.error(.vocabulary(extra: [], merges: [], pre: "klingon-bpe"))
        #expect(error == .unknownPreTokenizer("klingon-bpe"))
        #expect(error?.description.contains("'klingon-bpe'") == true)
    }

    @Test func missingPreTokenizerMeansDefault() throws {
        #expect(try Self.tokenizer(.vocabulary(extra: [], merges: [], pre: nil)).preTokenizer == .default)
    }

    @Test func sentencePieceVocabulariesAreRefused() throws {
        #expect(try Self.error(.vocabulary(extra: [], merges: [], pre: nil, model: "llama")) == .unsupportedModel("llama"))
    }

    @Test func missingMergesAreReported() throws {
        var gguf = Self.vocabulary
        gguf.metadata.removeAll { $0.0 == "tokenizer.ggml.merges" }
        guard case let .invalidMetadata(reason) = try Self.error(gguf) else {
            Issue.record("expected invalidMetadata")
            return
        }
        #expect(reason.contains("tokenizer.ggml.merges"))
    }

    @Test func chatTemplateMissingOrUnknown() throws {
        let withoutTemplate = try Self.vocabulary.write()
        defer { try? FileManager.default.removeItem(atPath: withoutTemplate) }
        #expect(throws: TokenizerError.missingChatTemplate) { try ChatTemplate(gguf: GGUFFile(path: withoutTemplate)) }

        let unknown = try SyntheticGGUF.vocabulary(extra: [], merges: [], pre: "gpt2",
                                                   template: "### Instruction:\n{{ messages[0]['content'] }}\n### Response:").write()
        defer { try? FileManager.default.removeItem(atPath: unknown) }
        #expect(throws: TokenizerError.unknownChatTemplate("### Instruction:\\n{{ messages[0]['content…")) {
            try ChatTemplate(gguf: GGUFFile(path: unknown))
        }
    }
}
