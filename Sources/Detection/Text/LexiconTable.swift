/// The lexicon compiled into an open-addressing table from word n-gram hash
/// to what the n-gram means, so matching costs a few probes per word.
struct LexiconTable: Sendable {
    /// Per-category roles packed in 16 bits (3 per category: strong, A, B) and a topic in bits 16…23.
    private var keys: [UInt64]
    private var values: [UInt32]
    private let mask: Int
    /// Phrases for scripts without spaces, as UTF-8, with their category bit.
    let substrings: [([UInt8], PromptCategories)]

    static let strongRole: UInt32 = 1, aRole: UInt32 = 2, bRole: UInt32 = 4

    init() {
        var pairs: [(UInt64, UInt32)] = []
        var subs: [([UInt8], PromptCategories)] = []
        for entry in Lexicon.entries {
            let shift = UInt32(entry.category.rawValue * 3)
            for p in entry.strong { pairs.append((Self.phraseHash(p), Self.strongRole << shift)) }
            for p in entry.a { pairs.append((Self.phraseHash(p), Self.aRole << shift)) }
            for p in entry.b { pairs.append((Self.phraseHash(p), Self.bRole << shift)) }
            for s in entry.substrings { subs.append((Array(s.utf8), entry.category.bit)) }
        }
        for (topic, words) in Lexicon.topics {
            for w in words { pairs.append((Self.phraseHash(w), UInt32(topic.rawValue) << 16)) }
        }
        var size = 64
        while size < pairs.count * 4 { size *= 2 }
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt32](repeating: 0, count: size)
        mask = size - 1
        substrings = subs
        for (k, v) in pairs {
            var i = Int(truncatingIfNeeded: k) & mask
            while keys[i] != 0 && keys[i] != k { i = (i + 1) & mask }
            keys[i] = k
            // A word in two lists keeps both roles; the first topic wins.
            let topic = values[i] >> 16 != 0 ? values[i] & 0xFF_0000 : v & 0xFF_0000
            values[i] = (values[i] | v) & 0xFFFF | topic
        }
    }

    @inline(__always)
    func lookup(_ key: UInt64) -> UInt32 {
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return 0 }
            i = (i + 1) & mask
        }
    }

    /// Hash of a phrase's words, computed exactly as ``TextAnalyzer`` does over prompts.
    static func phraseHash(_ phrase: String) -> UInt64 {
        var h: UInt64 = 0
        var n = 0
        TextAnalyzer.forEachWord(Array(phrase.utf8)) { word, _ in
            h = n == 0 ? word : combine(h, word)
            n += 1
        }
        return h
    }

    @inline(__always)
    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        KeyedHash.fold(a ^ 0x51_7CC1_B727_220A, b ^ 0x2545_F491_4F6C_DD1D) | 1
    }
}
