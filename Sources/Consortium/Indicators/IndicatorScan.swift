import AegisCore
import Foundation

/// One pass over an exchange log that matches every exchange against peer
/// indicators (in parallel) and gathers the hits in log order.
public enum IndicatorScan {
    /// Matches the log at `path` (exchanges before `since`, in seconds since
    /// 1970, are skipped); `onMalformed` hears about each bad line.
    public static func run(path: String, indicators: PeerIndicators, extractor: IndicatorExtractor,
                           since: Double? = nil, threads: Int = 2,
                           onMalformed: (MalformedLine) -> Void = { _ in }) throws -> IndicatorHits {
        var hits = IndicatorHits(indicators: indicators)
        let reader = ExchangeLogReader(path: path, parallelism: max(1, threads))
        try reader.forEachBatch(transform: { exchange -> (String, Double, [Int])? in
            let time = exchange.time.timeIntervalSince1970
            if let since, time < since { return nil }
            return (exchange.account, time, indicators.matches(extractor.values(of: exchange)))
        }) { batch in
            batch.malformed.forEach(onMalformed)
            for (account, time, matches) in batch.elements {
                hits.record(account: account, time: time, matches: matches)
            }
        }
        return hits
    }

    /// Sightings of the matched indicators by `identity` (one per indicator,
    /// counting matching requests), marked with `tlp`.
    public static func sightings(_ hits: IndicatorHits, identity: JSONValue, tlp: TLPMarking, now: Date) -> [JSONValue] {
        guard let producer = identity["id"]?.stringValue else { return [] }
        let published = STIXTimestamp.format(now)
        var out: [JSONValue] = []
        for (index, total) in hits.totals.sorted(by: { $0.key < $1.key }) {
            let entry = hits.indicators.entries[index]
            out.append([
                "type": "sighting", "spec_version": "2.1",
                "id": .string(STIXIdentifier.object("sighting", [
                    "producer": .string(producer), "indicator": .string(entry.id), "time": .string(published),
                ])),
                "created_by_ref": .string(producer), "created": .string(published), "modified": .string(published),
                "first_seen": .string(STIXTimestamp.format(Date(timeIntervalSince1970: total.first))),
                "last_seen": .string(STIXTimestamp.format(Date(timeIntervalSince1970: total.last))),
                "count": .number(Double(min(total.count, 999_999_999))),
                "sighting_of_ref": .string(entry.id),
                "where_sighted_refs": [.string(producer)],
                "object_marking_refs": [.string(tlp.id)],
            ])
        }
        return out
    }
}
