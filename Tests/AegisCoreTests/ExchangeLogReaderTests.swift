import Foundation
import Testing
@testable import AegisCore

@Suite struct ExchangeLogReaderTests {
    func line(_ i: Int) -> String {
        #"{"id":"ex_\#(i)","time":"2026-11-29T10:00:00.000Z","account":"a\#(i % 7)","request":{"prompt":"p\#(i)"}}"#
    }

    @Test func reportsMalformedLinesByNumberAndGoesOn() throws {
        var lines: [String] = []
        for i in 1...5000 { lines.append(line(i)) }
        lines[9] = "{not json"                               // line 10
        lines[2999] = #"{"id":"x","time":"2026-11-29T10:00:00Z"}"# // line 3000: no account
        lines[4000] = ""                                      // blank: skipped silently
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        // A small chunk size forces many chunks and lines that straddle them.
        let all = try ExchangeLogReader(path: path, parallelism: 2, chunkBytes: 4096).readAll()
        #expect(all.exchanges.count == 4997)
        #expect(all.malformed.map(\.line) == [10, 3000])
        #expect(all.malformed[1].reason.contains("account"))
        #expect(all.exchanges.first?.id == "ex_1")
        #expect(all.exchanges.last?.id == "ex_5000")
        let ids = all.exchanges.map(\.id)
        #expect(ids == lines.indices.filter { ![9, 2999, 4000].contains($0) }.map { "ex_\($0 + 1)" })
        #expect(all.linesRead == 5000)
    }

    @Test func readsLastLineWithoutNewline() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).jsonl").path
        try (line(1) + "\r\n" + line(2)).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let all = try ExchangeLogReader(path: path).readAll()
        #expect(all.exchanges.map(\.id) == ["ex_1", "ex_2"])
        #expect(all.malformed.isEmpty)
    }

    @Test func missingFileIsATypedError() {
        #expect(throws: ExchangeLogError.self) {
            try ExchangeLogReader(path: "/nonexistent/x.jsonl").readAll()
        }
    }
}
