import AegisCore
import Foundation

/// Reads the JSONL files the forensic commands take: one JSON object per line with a
/// text field (the first of `fields` present), an optional "prompt" and an optional "id".
enum ForensicsTextFile {
    struct Line {
        var id: String
        var text: String
        var prompt: String?
    }

    static func read(_ path: String, fields: [String]) throws -> [Line] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read \(path); check the path")
        }
        var lines: [Line] = []
        for (number, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !raw.allSatisfy(\.isWhitespace) else { continue }
            guard let object = try? JSONParser.parse(String(raw)), case .object = object else {
                throw InvalidInput("line \(number + 1) of \(path) is not a JSON object; write one {\"\(fields[0])\": \"…\"} per line")
            }
            // The answers cache's header line carries no text: skip it.
            if object["aegis_forensics_answers"] != nil { continue }
            let text = fields.lazy.compactMap { field -> String? in
                if let string = object[field]?.stringValue { return string }
                if case .array(let items)? = object[field] { return items.first?.stringValue }
                return nil
            }.first
            guard let text else {
                throw InvalidInput("line \(number + 1) of \(path) has no \(fields.map { "\"\($0)\"" }.joined(separator: " or ")) string")
            }
            let id: String
            switch object["id"] ?? object["question_id"] {
            case .string(let s)?: id = s
            case .number(let n)?: id = n == n.rounded() ? String(Int(n)) : String(n)
            default: id = String(number + 1)
            }
            lines.append(Line(id: id, text: text, prompt: object["prompt"]?.stringValue))
        }
        guard !lines.isEmpty else { throw InvalidInput("\(path) holds no line to use") }
        return lines
    }
}
