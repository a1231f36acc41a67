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
    struct Greedy: Decodable { var prompt: String; var prompt_ids: [TokenID]; var greedy_ids: [TokenID]; var greedy_text: String }
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
            #expect(tokenizer.decode(sample.greedy_ids) == sample.greedy_text)
        }
        for sample in reference.teacher_forced {
            #expect(tokenizer.encode(sample.text) == sample.ids, "\(sample.text.debugDescription)")
        }
    }
}

extension TokenizerTests {
    static let variedTexts = [
        "Plain ASCII, with punctuation; and numbers 3.14159 and 1,000,000.",
        "Emoji: 😀👍🏽👨‍👩‍👧 and flags 🇫🇷🇯🇵",
        "CJK: 東京は日本の首都です。中文测试。한국어 텍스트",
        "Combining marks: e\u{301} n\u{303} a\u{30A}\u{301} Z\u{335}\u{321}",
        "Scripts: Ελληνικά Русский עברית العربية हिन्दी ไทย",
        "Whitespace:\u{A0}nbsp\u{2028}line-sep\u{3000}ideographic\r\nCRLF\t\ttabs   \n\n\n",
        "Controls \u{0}\u{1}\u{7F} and private use \u{E000} and astral \u{1D400}\u{10FFFF}",
        "Code: func f(x: Int) -> Int { return x &* 2 } // ok\n    if a != b {}",
        "Chat markup: <|im_start|>user\nHi<|im_end|>\n",
        String(repeating: "long", count: 500),  // one 2,000-byte word: the heap path
    ]

    @Test func decodeInvertsEncodeOnVariedText() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        for text in Self.variedTexts {
            let ids = tokenizer.encode(text)
            #expect(tokenizer.decode(ids) == text)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
        }
    }

    @Test func heapAndScanningMergesAgree() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        for text in Self.variedTexts + ["aaaaaaaaaaaaaaaaaaaaaaaa", "abababababab", "   ", "Supercalifragilisticexpialidocious"] {
            let scanned = tokenizer.encode(text, parseSpecialTokens: true, scanLimit: .max)
            let heaped = tokenizer.encode(text, parseSpecialTokens: true, scanLimit: 1)
            #expect(scanned == heaped, "\(text.prefix(40).debugDescription)")
        }
    }

    @Test func specialTokensAreTextWhenNotParsed() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        let text = "<|im_start|>user"
        #expect(tokenizer.encode(text) == [1, 4093])
        let plain = tokenizer.encode(text, parseSpecialTokens: false)
        #expect(!plain.contains(1))
        #expect(plain.count > 2)
        #expect(tokenizer.decode(plain) == text)
    }

    @Test func exposesSmolLM2SpecialTokens() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.bosToken == 1)
        #expect(tokenizer.eosToken == 2)
        #expect(tokenizer.endOfTurnToken == 2)
        #expect(tokenizer.stopTokens.isSuperset(of: [0, 2]))
        #expect(!tokenizer.addsBOSToken)
        #expect(tokenizer.preTokenizer == .smollm)
        #expect(tokenizer.isControl(1) && tokenizer.isControl(16))
        #expect(!tokenizer.isControl(17) && !tokenizer.isControl(-1) && !tokenizer.isControl(49152))
        #expect(tokenizer.bytes(of: 1) == Array("<|im_start|>".utf8))
        #expect(tokenizer.bytes(of: 198) == [0x0A])
        #expect(tokenizer.bytes(of: 19556) == Array("Hello".utf8))
        #expect(tokenizer.bytes(of: 49152).isEmpty)
    }

    @Test func decodeSkipsWhatIsNotText() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        #expect(tokenizer.decode([1, 4093, 198, 26843, 2], skippingControlTokens: true) == "user\nHi")
        #expect(tokenizer.decode([19556, -5, 1_000_000, 17]) == "Hello!")
        #expect(tokenizer.decode([TokenID]()) == "")
    }

    @Test func lossyDecodeOfACutCharacter() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        let ids = tokenizer.encode("😀")
        #expect(ids.count > 1, "the emoji spans several byte tokens")
        #expect(tokenizer.decode(ids.dropLast()).hasSuffix("\u{FFFD}"))
    }
}

@Suite struct StreamingDecoderTests {
    @Test func emitsCharactersOnlyWhenComplete() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        for text in TokenizerTests.variedTexts {
            var decoder = StreamingDecoder(tokenizer: tokenizer)
            var streamed = ""
            for id in tokenizer.encode(text) {
                let piece = decoder.append(id)
                #expect(!piece.contains("\u{FFFD}"), "a chunk of \(text.prefix(20).debugDescription) was cut")
                streamed += piece
            }
            #expect(decoder.pendingByteCount == 0)
            streamed += decoder.finish()
            #expect(streamed == text)
        }
    }

    @Test func holdsBackAPartialCharacter() throws {
        let tokenizer = try #require(SmolLM2Tokenizer.shared, "run scripts/fetch-model first")
        let ids = tokenizer.encode("東")
        try #require(ids.count > 1)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        for id in ids.dropLast() { #expect(decoder.append(id) == "") }
        #expect(decoder.pendingByteCount > 0)
        #expect(decoder.append(ids[ids.count - 1]) == "東")
        // A character that never completes comes out as U+FFFD at the end.
        var cut = StreamingDecoder(tokenizer: tokenizer)
        _ = cut.append(ids[0])
        #expect(cut.finish() == "\u{FFFD}")
        #expect(cut.pendingByteCount == 0)
    }

    @Test func completePrefixRules() {
        #expect(StreamingDecoder.completePrefixLength([]) == 0)
        #expect(StreamingDecoder.completePrefixLength([0x41, 0xE6]) == 1)             // lead of 3
        #expect(StreamingDecoder.completePrefixLength([0x41, 0xE6, 0x9D]) == 1)       // 2 of 3
        #expect(StreamingDecoder.completePrefixLength([0xE6, 0x9D, 0xB1]) == 3)       // complete
        #expect(StreamingDecoder.completePrefixLength([0xF0, 0x9F, 0x98]) == 0)       // 3 of 4
        #expect(StreamingDecoder.completePrefixLength([0x80, 0x80]) == 2)             // stray: emit (as U+FFFD)
        #expect(StreamingDecoder.completePrefixLength([0xFF]) == 1)                   // invalid: emit
    }
}

@Suite struct PreTokenizerTests {
    // Expected words from Hugging Face `tokenizers` 0.22.2 with the regexes
    // llama.cpp uses for each name (see Benchmarks/TokenizerBenchmark/differential.py).
    static let first = "I'M here, it's 12345 apples!\n\n  world\t\tx  "
    static let second = "Ünïcödé ١٢٣ 東京😀 e\u{301} $5+3<=>x|y... ,\r\n end"

    @Test func smollmIsolatesDigitsThenSplitsLikeGPT2() {
        #expect(PreTokenizer.smollm.words(in: Self.first) ==
            ["I", "'", "M", " here", ",", " it", "'s", " ", "1", "2", "3", "4", "5", " apples", "!", "\n\n ", " world", "\t", "\t", "x", "  "])
        #expect(PreTokenizer.smollm.words(in: Self.second) ==
            ["Ünïcödé", " ", "١", "٢", "٣", " 東京", "😀", " e", "\u{301}", " $", "5", "+", "3", "<=>", "x", "|", "y", "...", " ,", "\r\n", " end"])
    }

    @Test func gpt2() {
        #expect(PreTokenizer.gpt2.words(in: Self.first) ==
            ["I", "'", "M", " here", ",", " it", "'s", " 12345", " apples", "!", "\n\n ", " world", "\t", "\t", "x", "  "])
        #expect(PreTokenizer.gpt2.words(in: Self.second) ==
            ["Ünïcödé", " ١٢٣", " 東京", "😀", " e", "\u{301}", " $", "5", "+", "3", "<=>", "x", "|", "y", "...", " ,", "\r\n", " end"])
    }

    @Test func llama3GroupsDigitsByThree() {
        #expect(PreTokenizer.llama3.words(in: Self.first) ==
            ["I", "'M", " here", ",", " it", "'s", " ", "123", "45", " apples", "!\n\n", " ", " world", "\t", "\tx", "  "])
        #expect(PreTokenizer.llama3.words(in: Self.second) ==
            ["Ünïcödé", " ", "١٢٣", " 東京", "😀", " e", "\u{301}", " $", "5", "+", "3", "<=>", "x", "|y", "...", " ,\r\n", " end"])
    }

    @Test func qwen2SplitsSingleDigits() {
        #expect(PreTokenizer.qwen2.words(in: Self.first) ==
            ["I", "'M", " here", ",", " it", "'s", " ", "1", "2", "3", "4", "5", " apples", "!\n\n", " ", " world", "\t", "\tx", "  "])
        #expect(PreTokenizer.qwen2.words(in: Self.second) ==
            ["Ünïcödé", " ", "١", "٢", "٣", " 東京", "😀", " e", "\u{301}", " $", "5", "+", "3", "<=>", "x", "|y", "...", " ,\r\n", " end"])
    }

    @Test func defaultSplitsPunctuationFirst() {
        #expect(PreTokenizer.default.words(in: Self.first) ==
            ["I", "'", "M", " here", ",", " it", "'", "s", " ", "123", "45", " apples", "!", "\n\n ", " world", "\t", "\t", "x", "  "])
        #expect(PreTokenizer.default.words(in: Self.second) ==
            ["Ünïcödé", " ", "١٢٣", " 東京", "😀", " e", "\u{301}", " ", "$", "5", "+", "3", "<=>", "x", "|", "y", "...", " ", ",", "\r\n", " end"])
    }

    @Test func everyPreTokenizerKeepsEveryByte() {
        for preTokenizer in PreTokenizer.allCases {
            for text in TokenizerTests.variedTexts + [Self.first, Self.second, ""] {
                #expect(preTokenizer.words(in: text).joined() == text)
                #expect(!preTokenizer.words(in: text).contains(""))
            }
        }
    }

    @Test func namesMapAsInLlamaCpp() throws {
        #expect(try PreTokenizer(ggmlName: "smollm") == .smollm)
        #expect(try PreTokenizer(ggmlName: "starcoder") == .smollm)
        #expect(try PreTokenizer(ggmlName: "gpt-2") == .gpt2)
        #expect(try PreTokenizer(ggmlName: "llama-bpe") == .llama3)
        #expect(try PreTokenizer(ggmlName: "qwen2") == .qwen2)
        #expect(try PreTokenizer(ggmlName: "default") == .default)
        #expect(try PreTokenizer(ggmlName: nil) == .default)
    }

    @Test func unknownNameIsAClearError() {
        #expect(throws: TokenizerError.unknownPreTokenizer("klingon-bpe")) { try PreTokenizer(ggmlName: "klingon-bpe") }
        #expect(TokenizerError.unknownPreTokenizer("klingon-bpe").description.contains("'klingon-bpe'"))
    }
}
