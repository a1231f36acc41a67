// Stages that keep what a simple character class matches and the gaps
// between the matches as separate pieces (llama.cpp's std::regex stages).
extension PreTokenizer {
    /// `\p{N}`: every number scalar alone; the text between stays whole.
    static func isolatedNumbers(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (Range<Int>) -> Void) {
        let reader = FragmentReader(bytes: bytes, end: range.upperBound)
        var cutter = PieceCutter(start: range.lowerBound)
        var position = range.lowerBound
        while position < range.upperBound {
            let length = reader.length(at: position)
            if reader.scalarClass(at: position).contains(.number) {
                cutter.cut(at: position, emit)
                cutter.cut(at: position + length, emit)
            }
            position += length
        }
        cutter.cut(at: range.upperBound, emit)
    }

    /// `\p{N}+`: runs of number scalars, and the gaps between them.
    static func numberRuns(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (Range<Int>) -> Void) {
        runs(bytes, range, emit) { value, scalarClass in scalarClass.contains(.number) }
    }

    /// `[\p{P}\$\+<=>\^~\|]+`: runs of punctuation and those ASCII symbols, and the gaps.
    static func punctuationRuns(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (Range<Int>) -> Void) {
        runs(bytes, range, emit) { value, scalarClass in
            scalarClass.contains(.punctuation)
                || value == 0x24 || value == 0x2B || value == 0x3C || value == 0x3D
                || value == 0x3E || value == 0x5E || value == 0x7E || value == 0x7C
        }
    }

    /// `[0-9][0-9][0-9]`: consecutive triples of ASCII digits, and the gaps.
    static func asciiDigitTriples(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (Range<Int>) -> Void) {
        let reader = FragmentReader(bytes: bytes, end: range.upperBound)
        var cutter = PieceCutter(start: range.lowerBound)
        var position = range.lowerBound
        @inline(__always) func isDigit(_ index: Int) -> Bool {
            index < range.upperBound && (0x30...0x39).contains(bytes[index])
        }
        while position < range.upperBound {
            if isDigit(position), isDigit(position + 1), isDigit(position + 2) {
                cutter.cut(at: position, emit)
                cutter.cut(at: position + 3, emit)
                position += 3
            } else {
                position += reader.length(at: position)
            }
        }
        cutter.cut(at: range.upperBound, emit)
    }

    private static func runs(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (Range<Int>) -> Void,
                             matching matches: (UInt32, ScalarClass) -> Bool) {
        let reader = FragmentReader(bytes: bytes, end: range.upperBound)
        var cutter = PieceCutter(start: range.lowerBound)
        var position = range.lowerBound
        var inRun = false
        while position < range.upperBound {
            let (value, length) = reader.scalar(at: position)
            let matched = matches(value, ScalarClass.of(value))
            if matched != inRun {
                cutter.cut(at: position, emit)
                inRun = matched
            }
            position += length
        }
        cutter.cut(at: range.upperBound, emit)
    }
}
