// Exchange-log decoding: Aegis's byte parser against Foundation's JSONDecoder,
// on the same lines, one thread each, in the same run.
//
//   swift run -c release DetectionBenchmark LOG.jsonl [LINES]
//
// Writes one line per decoder and the ratio (docs/detection.md, "Throughput").
import AegisCore
import Detection
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: DetectionBenchmark LOG.jsonl [LINES]\n".utf8))
    exit(2)
}
let limit = arguments.count >= 3 ? Int(arguments[2]) ?? 50_000 : 50_000
let lines: [Data]
do {
    let chunk = try ExchangeLogReader(path: arguments[1]).readAll()
    lines = chunk.exchanges.prefix(limit).map { Data($0.jsonLine().utf8) }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}

func measure(_ name: String, _ lines: [Data], _ body: (Data) throws -> Exchange) -> Double {
    let start = Date()
    var accounts = 0
    for line in lines {
        if let e = try? body(line) { accounts &+= e.account.utf8.count }
    }
    let seconds = Date().timeIntervalSince(start)
    print("\(name): \(lines.count) lines in \(String(format: "%.2f", seconds)) s, \(Int(Double(lines.count) / seconds)) lines/s (checksum \(accounts))")
    return seconds
}

let decoder = JSONDecoder()
// JSONDecoder is slow enough that a tenth of the lines gives a stable rate.
let foundationLines = Array(lines.prefix(max(1, lines.count / 10)))
let foundationSeconds = measure("Foundation JSONDecoder", foundationLines) { try decoder.decode(Exchange.self, from: $0) }
let foundation = foundationSeconds * Double(lines.count) / Double(foundationLines.count)
let aegis = measure("AegisCore JSONParser  ", lines) { data in
    try data.withUnsafeBytes { raw in try Exchange(line: raw.bindMemory(to: UInt8.self)) }
}
let extractor = FeatureExtractor()
let parsed = lines.compactMap { try? Exchange(line: String(decoding: $0, as: UTF8.self)) }
var features = Double.infinity
var sink = 0
for _ in 0..<3 {
    let start = Date()
    for e in parsed { sink &+= Int(extractor.features(of: e).text.words) }
    features = min(features, Date().timeIntervalSince(start))
}
print("FeatureExtractor: \(Int(Double(parsed.count) / features)) exchanges/s (checksum \(sink))")
print(String(format: "ratio: the byte parser is %.1f× as fast as JSONDecoder", foundation / aegis))
