import Foundation

/// The probe's answers, one JSON object per line, appended as each arrives, so an
/// interrupted probe loses no answer already paid for and a rerun asks only the rest.
///
/// The first line records which key and suspect the cache belongs to:
/// `{"aegis_forensics_answers":1,"key_id":"…","suspect_model":"…"}`. The key id is a
/// keyed hash of the watermark key (never the key): answers collected for one key are
/// never silently tested under another.
public final class AnswerCache {
    /// One cached answer.
    public struct Entry: Codable, Sendable, Equatable {
        /// The prompt's id in the prompts file.
        public var id: String
        /// The prompt sent.
        public var prompt: String
        /// The suspect's answer.
        public var answer: String

        /// An entry from its parts.
        public init(id: String, prompt: String, answer: String) {
            self.id = id
            self.prompt = prompt
            self.answer = answer
        }
    }

    private struct Header: Codable {
        var version: Int
        var keyID: String
        var suspectModel: String
        enum CodingKeys: String, CodingKey {
            case version = "aegis_forensics_answers"
            case keyID = "key_id"
            case suspectModel = "suspect_model"
        }
    }

    /// The cache file.
    public let path: String
    /// Answers already in the file, in file order.
    public private(set) var entries: [Entry] = []
    private var answered = Set<String>()
    private let handle: FileHandle

    /// Opens (or creates) the cache at `path` for `keyID` and `suspectModel`.
    /// - Throws: `ForensicsError.cacheMismatch` when it was made with another key or
    ///   suspect, `.cacheUnreadable` for a line Aegis did not write.
    public init(path: String, keyID: String, suspectModel: String) throws(ForensicsError) {
        self.path = path
        let manager = FileManager.default
        let header = Header(version: 1, keyID: keyID, suspectModel: suspectModel)
        if let data = manager.contents(atPath: path), !data.isEmpty {
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            guard let first = lines.first, let found = try? JSONDecoder().decode(Header.self, from: Data(first)) else {
                throw .cacheUnreadable(path: path, line: 1, reason: "not the header of an Aegis answers cache")
            }
            guard found.keyID == keyID else {
                throw .cacheMismatch(path: path, detail: "was made with another watermark key (key id \(found.keyID), this key is \(keyID))")
            }
            guard found.suspectModel == suspectModel else {
                throw .cacheMismatch(path: path, detail: "holds answers of suspect model '\(found.suspectModel)', not '\(suspectModel)'")
            }
            for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
                guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(line)) else {
                    // A line cut short by an interruption is the last one: drop it, the prompt is asked again.
                    if index == lines.count - 1 { break }
                    throw .cacheUnreadable(path: path, line: index + 1, reason: "not an {id, prompt, answer} object")
                }
                if answered.insert(entry.id).inserted { entries.append(entry) }
            }
            // Rewrite a cut-short last line away so appends start on a fresh line.
            if data.last != UInt8(ascii: "\n") {
                var clean = Data(first) + Data("\n".utf8)
                for entry in entries { clean += Self.line(entry) }
                do { try clean.write(to: URL(fileURLWithPath: path)) } catch {
                    throw .cacheUnreadable(path: path, line: lines.count, reason: "cannot rewrite: \(error.localizedDescription)")
                }
            }
        } else {
            var data = (try? JSONEncoder().encode(header)) ?? Data()
            data.append(UInt8(ascii: "\n"))
            guard manager.createFile(atPath: path, contents: data) else {
                throw .cacheUnreadable(path: path, line: 0, reason: "cannot create the file; check the directory")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw .cacheUnreadable(path: path, line: 0, reason: "cannot open it for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Whether the prompt `id` has an answer already.
    public func contains(_ id: String) -> Bool { answered.contains(id) }

    /// Appends an answer and flushes it to disk.
    public func append(_ entry: Entry) throws(ForensicsError) {
        guard answered.insert(entry.id).inserted else { return }
        entries.append(entry)
        do {
            try handle.write(contentsOf: Self.line(entry))
            try handle.synchronize()
        } catch {
            throw .cacheUnreadable(path: path, line: entries.count + 1, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    private static func line(_ entry: Entry) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(entry)) ?? Data()
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
