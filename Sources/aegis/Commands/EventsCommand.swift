import AegisCore
import ArgumentParser
import Foundation
import Store
import Synchronization

/// `aegis events export`: the exchange log as JSONL.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Read the gateway's exchange log.",
        subcommands: [Export.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write logged exchanges as JSONL (the exchange-log format), oldest first.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only exchanges at or after this time (RFC 3339, e.g. 2026-11-29T10:00:00Z, or seconds since 1970).")
        var since: String?
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let start = try since.map(Self.parseTime)
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw InvalidInput("cannot create \(output); check the folder exists and is writable")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = FileHandle.standardOutput
            }
            let writer = LineWriter(handle: handle)
            try await store.open().forEachExchange(since: start) { exchange in
                writer.write(exchange.line)
            }
            writer.flush()
        }

        static func parseTime(_ text: String) throws -> Date {
            if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: text) { return date }
            throw InvalidInput("--since must be RFC 3339 (2026-11-29T10:00:00Z) or seconds since 1970 (got \"\(text)\")")
        }
    }
}

/// Buffers lines and writes them in large blocks.
///
/// The store calls back from its own thread, so the buffer is behind a
/// `Mutex` (uncontended: one export at a time) rather than unchecked.
private final class LineWriter: Sendable {
    private let handle: FileHandle
    private let buffer = Mutex(Data())

    init(handle: FileHandle) { self.handle = handle }

    func write(_ line: String) {
        buffer.withLock { buffer in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 { flush(&buffer) }
        }
    }

    func flush() {
        buffer.withLock { flush(&$0) }
    }

    private func flush(_ buffer: inout Data) {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
