/// The merge rules of a byte-level BPE vocabulary, resolved to ids.
///
/// Symbols start as one byte each and merge pair by pair, the best-ranked
/// pair first (leftmost among equals), until no pair has a rule. Rules are
/// strings in the file; they are resolved once, here, to ids. A piece a rule
/// produces that is not itself a token gets a "virtual" id above the
/// vocabulary, and is written out as its byte tokens, as llama.cpp does.
struct BytePairModel: Sendable {
    /// Tokens in the vocabulary; ids at or above are virtual.
    let vocabularySize: Int
    /// The symbol each byte starts as (a real or virtual id).
    let byteSymbols: [Int32]
    /// The token of each single byte, for writing out virtual pieces (-1: none).
    let byteTokens: [Int32]
    /// Bytes of each virtual piece, by id minus `vocabularySize`.
    let virtualPieces: [[UInt8]]
    /// Merge rank and result for each pair of symbols.
    let merges: MergeTable
    /// Whole words that are tokens, for vocabularies that skip merges for them (Llama 3).
    let wholeWords: ByteStringTable?
    /// The encoding of every normal token's text taken as a word: a cache,
    /// filled once, that every `encode` call shares (common words are tokens).
    private(set) var knownWords = ByteStringTable()

    /// Resolves `merges` ("left right" in byte-level text) against the token texts.
    init(tokenTexts: [String], merges mergeRules: [String], ignoresMergesForWholeWords: Bool,
         pieceBytes: (Int) -> [UInt8]) {
        vocabularySize = tokenTexts.count
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokenTexts.count)
        for (id, text) in tokenTexts.enumerated() { ids[text] = Int32(id) }  // a later duplicate wins, as in llama.cpp
        var virtual: [[UInt8]] = []

        func symbol(for piece: String) -> Int32 {
            if let id = ids[piece] { return id }
            let id = Int32(tokenTexts.count + virtual.count)
            virtual.append(ByteLevelAlphabet.bytes(ofTokenText: piece))
            ids[piece] = id
            return id
        }

        var byteSymbols = [Int32](repeating: -1, count: 256)
        var byteTokens = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            let piece = String(Character(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[byte]) ?? "?"))
            if let id = ids[piece] { byteTokens[byte] = id }
            byteSymbols[byte] = symbol(for: piece)
        }

        // A rule's result may feed a later rule: give every result an id first.
        var split: [(left: Substring, right: Substring, result: Int32)?] = []
        split.reserveCapacity(mergeRules.count)
        for rule in mergeRules {
            guard let space = rule.dropFirst().firstIndex(of: " ") else { split.append(nil); continue }
            let left = rule[..<space], right = rule[rule.index(after: space)...]
            split.append((left, right, symbol(for: String(left) + String(right))))
        }
        var table = MergeTable(capacity: mergeRules.count)
        for (rank, entry) in split.enumerated() {
            // A side that is neither a token nor a result can never be formed: the rule never applies.
            guard let entry, let left = ids[String(entry.left)], let right = ids[String(entry.right)] else { continue }
            table.insert(left: left, right: right, rank: Int32(rank), merged: entry.result)
        }

        var wholeWords: ByteStringTable?
        if ignoresMergesForWholeWords {
            var words = ByteStringTable(capacity: tokenTexts.count)
            for id in tokenTexts.indices.reversed() {  // a later duplicate wins, as in llama.cpp
                let bytes = pieceBytes(id)
                bytes.withUnsafeBufferPointer { key in
                    let hash = ByteStringTable.hash(key)
                    if words.find(key, hash: hash) == nil { words.insert(key, hash: hash, ids: [Int32(id)]) }
                }
            }
            wholeWords = words
        }

        self.byteSymbols = byteSymbols
        self.byteTokens = byteTokens
        self.virtualPieces = virtual
        self.merges = table
        self.wholeWords = wholeWords
    }

    /// Fills `knownWords` with the BPE result of each of `words` (two bytes or more).
    mutating func learn(_ words: [[UInt8]]) {
        var session = BytePairSession(model: self)
        var known = ByteStringTable(capacity: words.count)
        for word in words where word.count > 1 {
            word.withUnsafeBufferPointer { key in
                let hash = ByteStringTable.hash(key)
                guard known.find(key, hash: hash) == nil else { return }
                known.insert(key, hash: hash, ids: session.tokens(of: key)[...])
            }
        }
        knownWords = known
    }
}
