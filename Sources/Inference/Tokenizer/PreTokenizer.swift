/// How text is cut into words before byte-pair encoding, as named by
/// `tokenizer.ggml.pre` in a GGUF file.
///
/// Each case reproduces the regular expressions llama.cpp applies for that
/// name (llama-vocab.cpp), written out by hand over Unicode scalars: no regex
/// engine runs, so splitting costs one pass over the UTF-8 bytes per stage.
public enum PreTokenizer: String, Sendable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`.
    case gpt2
    /// SmolLM, StarCoder and kin: every `\p{N}` on its own, then GPT-2's expression.
    case smollm
    /// Llama 3: case-insensitive contractions, an optional non-letter before
    /// letters, numbers in groups of up to three, newlines kept with what precedes them.
    case llama3
    /// Qwen2: Llama 3's expression with single digits.
    case qwen2
    /// llama.cpp's fallback: punctuation runs, GPT-2, number runs, then groups of three ASCII digits.
    case `default`

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value; nil (absent) means `default`, as in llama.cpp.
    public init(ggmlName name: String?) throws(TokenizerError) {
        guard let name else { self = .default; return }
        switch name {
        case "default":
            self = .default
        case "gpt2", "gpt-2", "phi-2", "mpt", "olmo", "jais", "roberta-bpe", "gigachat", "exaone4",
             "jina-es", "jina-de", "jina-v1-en", "jina-v2-es", "jina-v2-de", "jina-v2-code", "trillion":
            self = .gpt2
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
            self = .smollm
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe", "chatglm-bpe", "glm4",
             "falcon-h1", "pixtral", "midm-2.0", "lfm2":
            self = .llama3
        case "qwen2", "deepseek-r1-qwen", "megrez", "stablelm2", "hunyuan":
            self = .qwen2
        default:
            throw .unknownPreTokenizer(name)
        }
    }

    /// Cuts `range` of `bytes` (valid UTF-8) into words, in order, calling `emit` for each.
    func split(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (Range<Int>) -> Void) {
        switch self {
        case .gpt2:
            Self.gpt2Words(bytes, range, emit)
        case .smollm:
            Self.isolatedNumbers(bytes, range) { Self.gpt2Words(bytes, $0, emit) }
        case .llama3:
            Self.llama3Words(bytes, range, maxDigits: 3, emit)
        case .qwen2:
            Self.llama3Words(bytes, range, maxDigits: 1, emit)
        case .default:
            Self.punctuationRuns(bytes, range) { punctuation in
                Self.gpt2Words(bytes, punctuation) { word in
                    Self.numberRuns(bytes, word) { Self.asciiDigitTriples(bytes, $0, emit) }
                }
            }
        }
    }
}

extension PreTokenizer {
    /// The words `text` splits into (the pre-tokenizer's output as strings).
    public func words(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var words: [String] = []
            split(bytes, 0..<bytes.count) { words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)) }
            return words
        }
    }
}

/// Emits the pieces of one fragment in order: each cut ends the current piece.
struct PieceCutter {
    private(set) var pieceStart: Int

    init(start: Int) { pieceStart = start }

    /// Ends the current piece at `end`; empty pieces are not emitted.
    @inline(__always)
    mutating func cut(at end: Int, _ emit: (Range<Int>) -> Void) {
        if end > pieceStart { emit(pieceStart..<end) }
        pieceStart = end
    }
}
