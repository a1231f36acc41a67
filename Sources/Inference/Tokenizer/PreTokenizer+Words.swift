// The two hand-written word splitters llama.cpp uses instead of a regex
// engine (unicode.cpp), mirrored branch by branch so that ties and edge
// cases (a lone trailing space, whitespace before a fragment's end) agree.
extension PreTokenizer {
    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    static func gpt2Words(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (Range<Int>) -> Void) {
        let reader = FragmentReader(bytes: bytes, end: range.upperBound)
        var cutter = PieceCutter(start: range.lowerBound)
        var position = range.lowerBound
        while position < range.upperBound {
            let (value, length) = reader.scalar(at: position)
            if value == apostrophe, let end = contraction(reader, after: position, caseSensitive: true) {
                position = end
                cutter.cut(at: position, emit)
                continue
            }
            let scalarClass = ScalarClass.of(value)
            let leading = value == space ? reader.scalarClass(at: position + 1) : scalarClass
            if !leading.isDisjoint(with: [.letter, .number]) {
                let wanted: ScalarClass = leading.contains(.letter) ? .letter : .number
                if value == space { position += 1 }
                while reader.scalarClass(at: position).contains(wanted) { position += reader.length(at: position) }
            } else if leading.isDisjoint(with: .wordOrSpace), leading != .end {
                if value == space { position += 1 }
                position = endOfSymbols(reader, from: position)
            } else {
                position = endOfWhitespace(reader, from: position, length: length, newlinesEnd: false)
            }
            cutter.cut(at: position, emit)
        }
    }

    /// Llama 3 (and Qwen2 with `maxDigits` 1):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    static func llama3Words(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, maxDigits: Int,
                            _ emit: (Range<Int>) -> Void) {
        let reader = FragmentReader(bytes: bytes, end: range.upperBound)
        var cutter = PieceCutter(start: range.lowerBound)
        var position = range.lowerBound
        while position < range.upperBound {
            let (value, length) = reader.scalar(at: position)
            if value == apostrophe, let end = contraction(reader, after: position, caseSensitive: false) {
                position = end
                cutter.cut(at: position, emit)
                continue
            }
            let scalarClass = ScalarClass.of(value)
            let isNewline = value == 0x0A || value == 0x0D
            if !isNewline, !scalarClass.contains(.number),
               scalarClass.contains(.letter) || reader.scalarClass(at: position + length).contains(.letter) {
                position += length
                while reader.scalarClass(at: position).contains(.letter) { position += reader.length(at: position) }
                cutter.cut(at: position, emit)
                continue
            }
            if scalarClass.contains(.number) {
                var digits = 0
                while reader.scalarClass(at: position).contains(.number) {
                    position += reader.length(at: position)
                    digits += 1
                    if digits == maxDigits {
                        cutter.cut(at: position, emit)
                        digits = 0
                    }
                }
                cutter.cut(at: position, emit)
                continue
            }
            let leading = value == space ? reader.scalarClass(at: position + 1) : scalarClass
            if leading.isDisjoint(with: .wordOrSpace) {
                if value == space { position += 1 }
                position = endOfSymbols(reader, from: position)
                while position < range.upperBound, bytes[position] == 0x0A || bytes[position] == 0x0D { position += 1 }
            } else {
                position = endOfWhitespace(reader, from: position, length: length, newlinesEnd: true)
            }
            cutter.cut(at: position, emit)
        }
    }

    /// The end of `'s|'t|'re|'ve|'m|'ll|'d` at an apostrophe, or nil.
    private static func contraction(_ reader: FragmentReader, after position: Int, caseSensitive: Bool) -> Int? {
        func folded(_ value: UInt32) -> UInt32 {
            caseSensitive || !(0x41...0x5A).contains(value) ? value : value | 0x20
        }
        let second = reader.scalar(at: position + 1)
        guard second.length > 0 else { return nil }
        switch folded(second.value) {
        case 0x73, 0x74, 0x6D, 0x64: // s t m d
            return position + 1 + second.length
        default:
            break
        }
        let third = reader.scalar(at: position + 1 + second.length)
        guard third.length > 0 else { return nil }
        switch (folded(second.value), folded(third.value)) {
        case (0x72, 0x65), (0x76, 0x65), (0x6C, 0x6C): // re ve ll
            return position + 1 + second.length + third.length
        default:
            return nil
        }
    }

    /// The end of a run of scalars that are neither letters, numbers nor whitespace.
    private static func endOfSymbols(_ reader: FragmentReader, from start: Int) -> Int {
        var position = start
        while true {
            let scalarClass = reader.scalarClass(at: position)
            guard scalarClass.isDisjoint(with: .wordOrSpace), scalarClass != .end else { return position }
            position += reader.length(at: position)
        }
    }

    /// The end of the whitespace piece at `start`: `\s*[\r\n]+` when `newlinesEnd`,
    /// else `\s+(?!\S)` (all but the last of a run that a non-space follows), else `\s+`.
    /// A scalar that is not whitespace at all (unreachable in practice) is taken alone.
    private static func endOfWhitespace(_ reader: FragmentReader, from start: Int, length: Int, newlinesEnd: Bool) -> Int {
        var runEnd = start
        var lastStart = start
        var count = 0
        var afterLastNewline = -1
        while reader.scalarClass(at: runEnd).contains(.whitespace) {
            let byte = reader.bytes[runEnd]
            lastStart = runEnd
            runEnd += reader.length(at: runEnd)
            count += 1
            if byte == 0x0A || byte == 0x0D { afterLastNewline = runEnd }
        }
        if newlinesEnd, afterLastNewline >= 0 { return afterLastNewline }
        if count > 1, runEnd < reader.end { return lastStart }
        if count > 0 { return runEnd }
        return start + length
    }
}
