/// What one prompt's text contributes to the signals, in a few dozen bytes:
/// the raw text is never kept.
public struct TextFeatures: Sendable, Equatable {
    /// Keyed hash of the text: equal prompts, equal hash.
    public var contentHash: UInt64 = 0
    /// MinHash of the character 5-shingles (digits masked), for near-duplicates.
    public var shingles = MinHash()
    /// Keyed hash of the first six words (digits masked); 0 for short prompts.
    public var prefixKey: UInt64 = 0
    /// Keyed hash of the last six words (digits masked); 0 for short prompts.
    public var suffixKey: UInt64 = 0
    /// Content categories found.
    public var categories: PromptCategories = 0
    /// The dominant topic.
    public var topic: Topic = .none
    /// Words in the text.
    public var words: Int = 0
    /// Concept families of a request for written-out reasoning (see ``ReasoningCues``), one bit each.
    public var reasoningFamilies: UInt8 = 0

    /// Whether the prompt asks for the reasoning written out, in whatever words (see ``ReasoningCues``).
    public var asksForReasoning: Bool { ReasoningCues.isElicitation(reasoningFamilies) }

    /// Creates empty features (no text).
    public init() {}
}

/// Turns prompt text into ``TextFeatures`` in one pass over its bytes.
///
/// Template detection masks the variable spans that templated traffic fills
/// in: digits become 0 everywhere, and the prefix/suffix keys ignore the
/// middle of the prompt, so "Solve: {problem} Show every step." keys the same
/// for every problem. Long prompts are read up to ``maximumBytes`` (head and
/// tail), which bounds the cost of a hostile 1 MB prompt.
public struct TextAnalyzer: Sendable {
    /// The most bytes of one prompt that are read (3/4 from the head, 1/4 from the tail).
    public static let maximumBytes = 4096
    /// Words in the prefix and suffix template keys.
    public static let templateWords = 6

    private let hasher: KeyedHash
    private let lexicon = LexiconTable()
    private let cues = ReasoningCues()

    /// Creates an analyzer whose sketches are keyed by `hasher`.
    public init(hasher: KeyedHash) {
        self.hasher = hasher
    }

    /// Analyses a prompt.
    public func analyze(_ text: String) -> TextFeatures {
        var text = text
        return text.withUTF8 { analyze(bytes: $0) }
    }

    /// Analyses a prompt's UTF-8 bytes.
    public func analyze(bytes: UnsafeBufferPointer<UInt8>) -> TextFeatures {
        if bytes.count > Self.maximumBytes {
            let head = Self.maximumBytes * 3 / 4
            var joined = [UInt8](bytes[0..<head])
            joined.append(0x20)
            joined.append(contentsOf: bytes[(bytes.count - (Self.maximumBytes - head))...])
            return joined.withUnsafeBufferPointer { analyzeBounded($0) }
        }
        return analyzeBounded(bytes)
    }

    private func analyzeBounded(_ bytes: UnsafeBufferPointer<UInt8>) -> TextFeatures {
        var f = TextFeatures()
        var window: UInt64 = 0
        var filled = 0
        var lastWasSpace = true
        var nonASCII = false
        for raw in bytes {
            var c = raw
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D {
                if lastWasSpace { continue }
                lastWasSpace = true
                c = 0x20
            } else {
                lastWasSpace = false
                if c >= 0x30 && c <= 0x39 { c = 0x30 }
                if c >= 0x80 { nonASCII = true }
            }
            window = window << 8 | UInt64(c)
            filled += 1
            if filled >= 5 { f.shingles.add(hasher.hash(window & 0xFF_FFFF_FFFF)) }
        }
        if filled > 0 && filled < 5 { f.shingles.add(hasher.hash(window)) }
        // Eight bytes per multiply; exact text, so "same prompt" means byte-identical.
        f.contentHash = hasher.hash(bytes)

        // Words: lexicon n-grams, topic votes and the template keys.
        var roles: UInt32 = 0
        var topicVotes = SIMD16<UInt8>(repeating: 0)
        var prev1: UInt64 = 0, prev2: UInt64 = 0
        var head: [UInt64] = []
        head.reserveCapacity(Self.templateWords)
        var tail = SIMD8<UInt64>(repeating: 0)
        var count = 0
        Self.forEachWord(bytes) { word, allDigits in
            var v = lexicon.lookup(word)
            if prev1 != 0 {
                let bigram = LexiconTable.combine(prev1, word)
                v |= lexicon.lookup(bigram)
                if prev2 != 0 { v |= lexicon.lookup(LexiconTable.combine(LexiconTable.combine(prev2, prev1), word)) }
            }
            roles |= v & 0xFFFF
            let topic = Int((v >> 16) & 0xFF)
            if topic != 0 && topicVotes[topic] < 255 { topicVotes[topic] += 1 }
            let masked = allDigits ? 0x30 : word
            if head.count < Self.templateWords { head.append(masked) }
            tail[count % Self.templateWords] = masked
            count += 1
            prev2 = prev1
            prev1 = word
        }
        f.words = count

        for category in PromptCategory.allCases {
            let r = (roles >> UInt32(category.rawValue * 3)) & 7
            if r & LexiconTable.strongRole != 0 || (r & LexiconTable.aRole != 0 && r & LexiconTable.bRole != 0) {
                f.categories |= category.bit
            }
        }
        if nonASCII {
            for (needle, bit) in lexicon.substrings where f.categories & bit == 0 {
                if Self.contains(bytes, needle) { f.categories |= bit }
            }
        }
        f.reasoningFamilies = cues.families(bytes, nonASCII: nonASCII)
        var best = 0
        for t in 1..<16 where topicVotes[t] > topicVotes[best] { best = t }
        f.topic = Topic(rawValue: UInt8(best)) ?? .none

        // Template keys only when the prompt is longer than both ends together,
        // i.e. there is a middle that may vary.
        if count > 2 * Self.templateWords {
            var p: UInt64 = 0x7072_6566
            for w in head { p = LexiconTable.combine(p, w) }
            var s: UInt64 = 0x7375_6666
            for i in 0..<Self.templateWords { s = LexiconTable.combine(s, tail[(count + i) % Self.templateWords]) }
            f.prefixKey = hasher.hash(p)
            f.suffixKey = hasher.hash(s)
        }
        return f
    }

    /// Whether `needle` occurs in `haystack` (needles are a few bytes; naive search is fine).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// Calls `body` with the hash of each word (runs of ASCII letters and
    /// digits or non-ASCII bytes, lower-cased) and whether it is all digits.
    @inline(__always)
    static func forEachWord(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Bool) -> Void) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var length = 0
        var digits = true
        for raw in bytes {
            var c = raw
            let isUpper = c >= 0x41 && c <= 0x5A
            let isWord = isUpper || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c >= 0x80
            if isWord {
                if isUpper { c |= 0x20 }
                if c > 0x39 { digits = false }
                h = (h ^ UInt64(c)) &* 0x100_0000_01B3
                length += 1
            } else if length > 0 {
                body(KeyedHash.fold(h, 0x9E37_79B9_7F4A_7C15) | 1, digits)
                h = 0xCBF2_9CE4_8422_2325
                length = 0
                digits = true
            }
        }
        if length > 0 { body(KeyedHash.fold(h, 0x9E37_79B9_7F4A_7C15) | 1, digits) }
    }

    static func forEachWord(_ bytes: [UInt8], _ body: (UInt64, Bool) -> Void) {
        bytes.withUnsafeBufferPointer { forEachWord($0, body) }
    }
}
