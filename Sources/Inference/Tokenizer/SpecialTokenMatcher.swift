#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts control and user-defined tokens out of text before pre-tokenization.
///
/// Mirrors llama.cpp's partition: tokens are tried longest text first; each
/// one splits every remaining stretch of plain text at its occurrences, left
/// to right. Control tokens are recognised only when special tokens are
/// parsed; user-defined tokens always are.
struct SpecialTokenMatcher: Sendable {
    /// A stretch of the input: plain text, or one special token.
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Entry: Sendable {
        var bytes: [UInt8]
        var id: Int32
        var alwaysParsed: Bool
    }

    private let entries: [Entry]

    /// `candidates` are (id, text, always parsed) for every non-normal token.
    init(_ candidates: [(id: Int32, text: String, alwaysParsed: Bool)]) {
        entries = candidates
            .filter { !$0.text.isEmpty }
            .map { Entry(bytes: Array($0.text.utf8), id: $0.id, alwaysParsed: $0.alwaysParsed) }
            .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
    }

    /// The segments of `bytes`, in order.
    func segments(of bytes: UnsafeBufferPointer<UInt8>, parseControlTokens: Bool) -> [Segment] {
        var segments: [Segment] = bytes.isEmpty ? [] : [.text(0..<bytes.count)]
        for entry in entries where entry.alwaysParsed || parseControlTokens {
            var result: [Segment] = []
            result.reserveCapacity(segments.count)
            var changed = false
            for segment in segments {
                guard case let .text(range) = segment else { result.append(segment); continue }
                var start = range.lowerBound
                while let found = Self.find(entry.bytes, in: bytes, from: start, to: range.upperBound) {
                    if found > start { result.append(.text(start..<found)) }
                    result.append(.token(entry.id))
                    start = found + entry.bytes.count
                    changed = true
                }
                if start < range.upperBound { result.append(.text(start..<range.upperBound)) }
            }
            if changed { segments = result }
        }
        return segments
    }

    /// The first position of `needle` in `bytes[start..<end]`.
    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard let base = bytes.baseAddress, let first = needle.first else { return nil }
        var position = start
        while end - position >= needle.count {
            guard let hit = memchr(base + position, Int32(first), end - position - needle.count + 1) else { return nil }
            let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            let matches = needle.withUnsafeBufferPointer { needleBytes in
                needleBytes.baseAddress.map { memcmp(base + index, $0, needle.count) == 0 } ?? false
            }
            if matches { return index }
            position = index + 1
        }
        return nil
    }
}
