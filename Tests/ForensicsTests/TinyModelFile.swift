import Foundation
import Inference

/// Writes a tiny Llama-shaped GGUF (F32 weights) whose top-1 prediction after a
/// token is known exactly: the blocks add nothing to the residual stream (their
/// output projections are zero), the embedding of token v is a one-hot vector in
/// slot `slot(v)`, and the output row of token u is a large multiple of the one-hot
/// of `slot(predecessor(u))`. After v the only positive logit is `successor(v)`'s.
struct TinyModelFile {
    /// Tokens the model knows about: bytes 'a' … 'p' (ids 97 … 112).
    static let alphabet: [Int32] = Array(97...112)
    static let width = 32

    /// The designed next-token rule on the alphabet.
    static func successor(_ token: Int32) -> Int32 { 97 + ((token - 97) * 5 + 3) % 16 }

    /// Byte-level vocabulary: 256 byte symbols, then "<|end|>"; `extra` more tokens change the vocabulary.
    static func tokens(extra: [String] = []) -> [String] {
        (0..<256).map { String(Character(Unicode.Scalar(ByteLevelAlphabetForTests.scalar(forByte: $0))!)) } + extra + ["<|end|>"]
    }

    var extraTokens: [String] = []
    var withTensors = true

    func write() throws -> String {
        let tokens = Self.tokens(extra: extraTokens)
        let vocabulary = tokens.count, d = Self.width
        var metadata: [(String, Value)] = [
            ("general.architecture", .string("llama")),
            ("llama.embedding_length", .uint32(UInt32(d))),
            ("llama.block_count", .uint32(1)),
            ("llama.feed_forward_length", .uint32(UInt32(d))),
            ("llama.attention.head_count", .uint32(2)),
            ("llama.attention.head_count_kv", .uint32(2)),
            ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
            ("llama.context_length", .uint32(64)),
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string("gpt2")),
            ("tokenizer.ggml.tokens", .strings(tokens)),
            ("tokenizer.ggml.token_type", .ints(Array(repeating: 1, count: vocabulary - 1) + [3])),
            ("tokenizer.ggml.merges", .strings([])),
            ("tokenizer.ggml.eos_token_id", .uint32(UInt32(vocabulary - 1))),
        ]
        if !withTensors { metadata.removeAll { $0.0.hasPrefix("llama.") } }
        func slot(_ token: Int) -> Int { (token - 97) * 2 }
        var embedding = [Float](repeating: 0, count: vocabulary * d)
        var output = [Float](repeating: 0, count: vocabulary * d)
        for token in Self.alphabet {
            embedding[Int(token) * d + slot(Int(token))] = 1
            output[Int(Self.successor(token)) * d + slot(Int(token))] = 10
        }
        let ones = [Float](repeating: 1, count: d)
        let square = [Float](repeating: 0.01, count: d * d)
        let zero = [Float](repeating: 0, count: d * d)
        let tensors: [(String, [Int], [Float])] = withTensors ? [
            ("token_embd.weight", [d, vocabulary], embedding),
            ("blk.0.attn_norm.weight", [d], ones),
            ("blk.0.attn_q.weight", [d, d], square),
            ("blk.0.attn_k.weight", [d, d], square),
            ("blk.0.attn_v.weight", [d, d], square),
            ("blk.0.attn_output.weight", [d, d], zero),
            ("blk.0.ffn_norm.weight", [d], ones),
            ("blk.0.ffn_gate.weight", [d, d], square),
            ("blk.0.ffn_up.weight", [d, d], square),
            ("blk.0.ffn_down.weight", [d, d], zero),
            ("output_norm.weight", [d], ones),
            ("output.weight", [d, vocabulary], output),
        ] : []
        return try Self.encode(metadata: metadata, tensors: tensors)
    }

    enum Value {
        case string(String), strings([String]), ints([Int32]), uint32(UInt32), float32(Float)
    }

    static func encode(metadata: [(String, Value)], tensors: [(String, [Int], [Float])]) throws -> String {
        var data = Data("GGUF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append(_ string: String) { append(UInt64(string.utf8.count)); data.append(contentsOf: Array(string.utf8)) }
        append(UInt32(3))
        append(UInt64(tensors.count))
        append(UInt64(metadata.count))
        for (key, value) in metadata {
            append(key)
            switch value {
            case let .string(text): append(UInt32(8)); append(text)
            case let .strings(texts): append(UInt32(9)); append(UInt32(8)); append(UInt64(texts.count)); texts.forEach { append($0) }
            case let .ints(values): append(UInt32(9)); append(UInt32(5)); append(UInt64(values.count)); values.forEach { append($0) }
            case let .uint32(value): append(UInt32(4)); append(value)
            case let .float32(value): append(UInt32(6)); append(value.bitPattern)
            }
        }
        var offset = 0
        for (name, shape, values) in tensors {
            append(name)
            append(UInt32(shape.count))
            shape.forEach { append(UInt64($0)) }
            append(UInt32(0))  // F32
            append(UInt64(offset))
            offset += (values.count * 4 + 31) / 32 * 32
        }
        while data.count % 32 != 0 { data.append(0) }
        for (_, _, values) in tensors {
            values.forEach { append($0.bitPattern) }
            while data.count % 32 != 0 { data.append(0) }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID()).gguf").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// GPT-2's byte-to-symbol map (printable bytes stand for themselves, the others move to U+0100…).
enum ByteLevelAlphabetForTests {
    static func scalar(forByte byte: Int) -> UInt32 {
        let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
        if printable { return UInt32(byte) }
        var shifted: UInt32 = 256
        for b in 0..<byte where !((33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)) { shifted += 1 }
        return shifted
    }
}
