// The TAXII server's throughput: objects/s for POST (envelopes of --batch
// objects) and for paged GET (pages of --page objects) over --objects
// indicators, through HTTP on loopback with one client connection; and, as
// the peer in the same run, the same adds and pages straight on the database
// (no HTTP, no JSON parsing), so the ratio is the cost of the protocol layer.
//
//   swift run -c release ConsortiumBenchmark [--objects 100000] [--batch 1000] [--page 1000] [--runs 3]
//
// Prints medians over the runs (docs/exchange.md, "Throughput").
import AegisCore
import AsyncHTTPClient
import Consortium
import Foundation
import NIOCore
import NIOHTTP1

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count, let v = Int(args[i + 1]), v > 0 else { return fallback }
    return v
}

let total = option("objects", 100_000), batch = option("batch", 1000), page = option("page", 1000), runs = option("runs", 3)

func indicator(_ n: Int) -> JSONValue {
    [
        "type": "indicator", "spec_version": "2.1",
        "id": .string(STIXIdentifier.object("indicator", ["bench": .number(Double(n))])),
        "created": "2026-11-20T00:00:00.000Z", "modified": "2026-11-20T00:00:00.000Z",
        "name": .string("bench indicator \(n)"),
        "pattern": .string("[ipv4-addr:value = '10.\(n >> 16 & 255).\(n >> 8 & 255).\(n & 255)']"),
        "pattern_type": "stix", "pattern_version": "2.1", "valid_from": "2026-11-20T00:00:00.000Z",
        "indicator_types": ["malicious-activity"], "confidence": 80,
    ]
}

let objects = (0..<total).map(indicator)
let envelopes: [String] = stride(from: 0, to: total, by: batch).map {
    JSONWriter().string(["objects": .array(Array(objects[$0..<min($0 + batch, total)]))])
}
let newObjects = objects.map {
    ConsortiumDatabase.NewObject(id: $0["id"]?.stringValue ?? "", type: "indicator", version: "2026-11-20T00:00:00.000Z",
                                 versionMicros: STIXTimestamp.microseconds("2026-11-20T00:00:00.000Z"), specVersion: "2.1",
                                 json: JSONWriter().string($0))
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func freshDatabase() throws -> (ConsortiumDatabase, String) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("taxii-bench-\(UUID().uuidString).db").path
    let database = try ConsortiumDatabase(path: path)
    let collection = try database.createCollection(title: "bench", description: nil)
    try database.setUser(name: "bench", passwordHash: PasswordHash(password: "bench").encoded, read: [collection], write: [collection])
    return (database, collection)
}

func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

let http = HTTPClient(eventLoopGroupProvider: .singleton)
let authorization = "Basic " + Data("bench:bench".utf8).base64EncodedString()

func send(_ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> ByteBuffer {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "Authorization", value: authorization)
    request.headers.add(name: "Accept", value: MediaType.taxii)
    if let body {
        request.headers.add(name: "Content-Type", value: MediaType.taxii)
        request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await http.execute(request, timeout: .seconds(120))
    let bytes = try await response.body.collect(upTo: 1 << 30)
    guard (200..<300).contains(Int(response.status.code)) else {
        throw ConsortiumError("benchmark request failed: \(response.status.code) \(String(buffer: bytes))")
    }
    return bytes
}

var postRates: [Double] = [], getRates: [Double] = [], directAddRates: [Double] = [], directGetRates: [Double] = []
for run in 1...runs {
    // Over HTTP.
    let (database, collection) = try freshDatabase()
    var configuration = TAXIIConfiguration()
    configuration.port = 0
    configuration.maximumPageSize = max(page, configuration.maximumPageSize)
    let port = AsyncStream<Int>.makeStream()
    let server = try TAXIIServer(configuration: configuration, database: database) { port.continuation.yield($0) }
    let task = Task { try await server.application.run() }
    var iterator = port.stream.makeAsyncIterator()
    guard let bound = await iterator.next() else { fatalError("the server did not start") }
    let objectsURL = "http://127.0.0.1:\(bound)/aegis/collections/\(collection)/objects/"
    _ = try await send(.GET, "http://127.0.0.1:\(bound)/taxii2/") // the one slow password check, outside the clock

    var start = Date()
    for envelope in envelopes { _ = try await send(.POST, objectsURL, envelope) }
    postRates.append(Double(total) / Date().timeIntervalSince(start))

    start = Date()
    var next: String?, fetched = 0
    repeat {
        let bytes = try await send(.GET, objectsURL + "?limit=\(page)" + (next.map { "&next=\($0)" } ?? ""))
        let envelope = try JSONParser.parse(Array(bytes.readableBytesView))
        fetched += envelope["objects"]?.arrayValue?.count ?? 0
        next = envelope["more"]?.boolValue == true ? envelope["next"]?.stringValue : nil
    } while next != nil
    getRates.append(Double(fetched) / Date().timeIntervalSince(start))
    precondition(fetched == total, "paged GET returned \(fetched) of \(total) objects")
    task.cancel()
    _ = try? await task.value

    // The peer: the same work straight on a fresh database.
    let (direct, directCollection) = try freshDatabase()
    start = Date()
    for first in stride(from: 0, to: total, by: batch) {
        _ = try await direct.add(Array(newObjects[first..<min(first + batch, total)]), to: directCollection)
    }
    directAddRates.append(Double(total) / Date().timeIntervalSince(start))
    start = Date()
    var query = ObjectQuery(limit: page)
    var directFetched = 0
    while true {
        let (rows, more) = try await direct.objects(in: directCollection, query)
        directFetched += rows.count
        guard more, let last = rows.last else { break }
        query.after = last.seq
    }
    directGetRates.append(Double(directFetched) / Date().timeIntervalSince(start))
    print(String(format: "run %d: POST %.0f objects/s (direct %.0f), paged GET %.0f objects/s (direct %.0f)",
                 run, postRates.last ?? 0, directAddRates.last ?? 0, getRates.last ?? 0, directGetRates.last ?? 0))
}
try await http.shutdown().get()
print(String(format: "median over %d runs, %d objects, envelopes of %d, pages of %d:", runs, total, batch, page))
print(String(format: "  POST      %8.0f objects/s over HTTP, %8.0f direct on the database (HTTP at %.2f of direct)",
             median(postRates), median(directAddRates), median(postRates) / median(directAddRates)))
print(String(format: "  paged GET %8.0f objects/s over HTTP, %8.0f direct on the database (HTTP at %.2f of direct)",
             median(getRates), median(directGetRates), median(getRates) / median(directGetRates)))
