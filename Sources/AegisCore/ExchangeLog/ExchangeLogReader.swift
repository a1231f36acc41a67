import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an exchange log (JSONL) as a stream of chunks of parsed exchanges.
///
/// The file is read a few MiB at a time and never held whole. Each chunk's
/// lines are parsed on ``parallelism`` threads while the caller's closure
/// handles the previous chunk, so a single-threaded consumer (the detector)
/// and the parser overlap. A line that is not an exchange is reported as a
/// ``MalformedLine`` with its 1-based line number, and reading goes on;
/// blank lines are skipped silently.
public struct ExchangeLogReader: Sendable {
    /// The file read.
    public let path: String
    /// Threads that parse lines.
    public var parallelism: Int
    /// Bytes read per chunk; a longer line grows its chunk.
    public var chunkBytes: Int

    /// Creates a reader for a JSONL file (opened when reading starts).
    public init(path: String, parallelism: Int = 2, chunkBytes: Int = 4 << 20) {
        self.path = path
        self.parallelism = max(1, parallelism)
        self.chunkBytes = max(4096, chunkBytes)
    }

    /// The file's size in bytes, for progress; nil when it cannot be stat'ed (a pipe).
    public var fileSize: Int? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Calls `body` with every chunk in file order; rethrows what `body` throws.
    public func forEachChunk(_ body: (ExchangeLogChunk) throws -> Void) throws {
        try forEachBatch(transform: { $0 }) { batch in
            var chunk = ExchangeLogChunk()
            chunk.exchanges = batch.elements
            chunk.malformed = batch.malformed
            chunk.bytesRead = batch.bytesRead
            chunk.linesRead = batch.linesRead
            try body(chunk)
        }
    }

    /// Like ``forEachChunk(_:)``, but each exchange is passed through `transform`
    /// on the parser threads (nil drops it), so per-exchange work such as feature
    /// extraction runs in parallel too.
    public func forEachBatch<Element: Sendable>(
        transform: @escaping @Sendable (Exchange) -> Element?,
        _ body: (ExchangeLogBatch<Element>) throws -> Void
    ) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ExchangeLogError("cannot open '\(path)': \(String(cString: strerror(errno))); check the path")
        }
        defer { close(fd) }

        var carry: [UInt8] = []
        var nextLine = 1
        var bytesRead = 0
        var pending: ExchangeLogBatch<Element>?
        var atEnd = false

        while !atEnd {
            // Read until at least one full line is in the buffer (or the file ends).
            var buffer = carry
            carry = []
            var lastNewline = -1
            repeat {
                let old = buffer.count
                buffer.append(contentsOf: repeatElement(0, count: chunkBytes))
                let n = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + old, chunkBytes) }
                let readErrno = errno
                guard n >= 0 else {
                    buffer.removeLast(chunkBytes)
                    if readErrno == EINTR { continue }
                    throw ExchangeLogError("cannot read '\(path)': \(String(cString: strerror(readErrno)))")
                }
                buffer.removeLast(chunkBytes - n)
                bytesRead += n
                if n == 0 { atEnd = true; break }
                if let i = buffer[old...].lastIndex(of: 0x0A) { lastNewline = i }
            } while lastNewline < 0
            if !atEnd, lastNewline >= 0, lastNewline + 1 < buffer.count {
                carry = Array(buffer[(lastNewline + 1)...])
                buffer.removeLast(buffer.count - lastNewline - 1)
            }

            let ranges = Self.lineRanges(buffer)
            let firstLine = nextLine
            nextLine += ranges.count
            // Many small parts, claimed one by one: a worker the OS preempts (the
            // machine is shared) does not hold up the chunk, and the calling
            // thread helps once it has handed the previous chunk on.
            let parts = max(1, min(4 * parallelism, ranges.count / 64))
            let previous = pending
            let consumed = bytesRead - carry.count
            // Parse this chunk on worker threads while the caller handles the previous one.
            let job = ParseJob(buffer: buffer, ranges: ranges, firstLine: firstLine, parts: parts, transform: transform)
            let group = DispatchGroup()
            for _ in 0..<min(parallelism, parts) {
                DispatchQueue.global().async(group: group) { job.runParts() }
            }
            var bodyError: (any Error)?
            if let previous {
                do { try body(previous) } catch { bodyError = error }
            }
            job.runParts()
            group.wait()
            if let bodyError { throw bodyError }
            let results = job.results
            var merged = ExchangeLogBatch<Element>()
            merged.elements.reserveCapacity(results.reduce(0) { $0 + $1.elements.count })
            for part in results {
                merged.elements.append(contentsOf: part.elements)
                merged.malformed.append(contentsOf: part.malformed)
            }
            merged.bytesRead = consumed
            merged.linesRead = nextLine - 1
            pending = merged
        }
        if let pending { try body(pending) }
    }

    /// Reads the whole log into memory; for tests and small files only.
    public func readAll() throws -> ExchangeLogChunk {
        var all = ExchangeLogChunk()
        try forEachChunk { chunk in
            all.exchanges.append(contentsOf: chunk.exchanges)
            all.malformed.append(contentsOf: chunk.malformed)
            all.bytesRead = chunk.bytesRead
            all.linesRead = chunk.linesRead
        }
        return all
    }

    private static func lineRanges(_ buffer: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(buffer.count / 512 + 1)
        buffer.withUnsafeBufferPointer { b in
            var start = 0
            while start < b.count {
                let rest = UnsafeRawPointer(b.baseAddress! + start)
                if let hit = memchr(rest, 0x0A, b.count - start) {
                    let end = start + (UnsafeRawPointer(hit) - rest)
                    ranges.append(start..<end)
                    start = end + 1
                } else {
                    ranges.append(start..<b.count)
                    break
                }
            }
        }
        return ranges
    }

    fileprivate static func parse<Element>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ ranges: ArraySlice<Range<Int>>, firstLine: Int,
        transform: (Exchange) -> Element?
    ) -> ExchangeLogBatch<Element> {
        var chunk = ExchangeLogBatch<Element>()
        chunk.elements.reserveCapacity(ranges.count)
        var line = firstLine
        for range in ranges {
            defer { line += 1 }
            var lo = range.lowerBound, hi = range.upperBound
            while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 || bytes[lo] == 0x0D { lo += 1 }
            while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 || bytes[hi - 1] == 0x0D { hi -= 1 }
            if lo == hi { continue }
            do {
                let exchange = try Exchange(line: UnsafeBufferPointer(rebasing: bytes[lo..<hi]))
                if let element = transform(exchange) { chunk.elements.append(element) }
            } catch {
                chunk.malformed.append(MalformedLine(line: line, reason: error.description))
            }
        }
        return chunk
    }
}

/// One chunk's parsing, split into parts that threads claim one at a time;
/// each part writes only its own slot.
private final class ParseJob<Element: Sendable>: @unchecked Sendable {
    let buffer: [UInt8]
    let ranges: [Range<Int>]
    let firstLine: Int
    let parts: Int
    let transform: @Sendable (Exchange) -> Element?
    private let slots: UnsafeMutableBufferPointer<ExchangeLogBatch<Element>>
    private let lock = NSLock()
    private var nextPart = 0

    init(buffer: [UInt8], ranges: [Range<Int>], firstLine: Int, parts: Int,
         transform: @escaping @Sendable (Exchange) -> Element?) {
        self.buffer = buffer
        self.ranges = ranges
        self.firstLine = firstLine
        self.parts = parts
        self.transform = transform
        slots = .allocate(capacity: parts)
        _ = slots.initialize(from: repeatElement(ExchangeLogBatch<Element>(), count: parts))
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// Claims and parses parts until none is left.
    func runParts() {
        while true {
            lock.lock()
            let part = nextPart
            nextPart += 1
            lock.unlock()
            guard part < parts else { return }
            run(part)
        }
    }

    private func run(_ task: Int) {
        let lo = ranges.count * task / parts
        let hi = ranges.count * (task + 1) / parts
        let chunk = buffer.withUnsafeBufferPointer { bytes in
            ExchangeLogReader.parse(bytes, ranges[lo..<hi], firstLine: firstLine + lo, transform: transform)
        }
        slots[task] = chunk
    }

    /// Read only after every task has finished (the caller waits on the group).
    var results: [ExchangeLogBatch<Element>] { Array(slots) }
}

/// A run of consecutive exchange-log lines, each parsed and transformed.
public struct ExchangeLogBatch<Element: Sendable>: Sendable {
    /// The transformed exchanges, in file order.
    public var elements: [Element] = []
    /// Lines that were not exchanges, in file order.
    public var malformed: [MalformedLine] = []
    /// Bytes of the file consumed up to the end of this batch.
    public var bytesRead = 0
    /// Lines of the file consumed up to the end of this batch.
    public var linesRead = 0

    /// An empty batch.
    public init() {}
}

/// A run of consecutive exchange-log lines, parsed.
public struct ExchangeLogChunk: Sendable {
    /// The exchanges, in file order.
    public var exchanges: [Exchange] = []
    /// Lines that were not exchanges, in file order.
    public var malformed: [MalformedLine] = []
    /// Bytes of the file consumed up to the end of this chunk.
    public var bytesRead = 0
    /// Lines of the file consumed up to the end of this chunk.
    public var linesRead = 0

    /// An empty chunk.
    public init() {}
}

/// An exchange-log line that was skipped: its 1-based number and why.
public struct MalformedLine: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the file.
    public let line: Int
    /// What was wrong with it.
    public let reason: String

    /// Creates a report of one skipped line.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// An exchange log that cannot be read at all (missing file, I/O error).
public struct ExchangeLogError: AegisError, Equatable {
    /// The one-line message.
    public let description: String

    /// Creates an error with a one-line message.
    public init(_ description: String) {
        self.description = description
    }
}
