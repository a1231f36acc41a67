import AegisCore
import Consortium
import Testing

@Suite struct IndicatorHitsTests {
    static let bundle: JSONValue = ["objects": [
        ["type": "indicator", "spec_version": "2.1", "id": "indicator--11111111-1111-4111-8111-111111111111",
         "created": "2026-11-20T00:00:00.000Z", "modified": "2026-11-20T00:00:00.000Z", "valid_from": "2026-11-20T00:00:00.000Z",
         "pattern": .string(IndicatorValue.keyed(kind: "prompt-template", keyID: "k", digest: "aa").pattern), "pattern_type": "stix",
         "confidence": 75],
        ["type": "indicator", "spec_version": "2.1", "id": "indicator--22222222-2222-4222-8222-222222222222",
         "created": "2026-11-20T00:00:00.000Z", "modified": "2026-11-20T00:00:00.000Z", "valid_from": "2026-11-20T00:00:00.000Z",
         "pattern": "[autonomous-system:number = 64500]", "pattern_type": "stix", "confidence": 15],
    ]]

    @Test func anOccasionalTemplateOrAnASNIsOnlyAHint() throws {
        let peer = try PeerIndicators(bundle: Self.bundle, now: .init(timeIntervalSince1970: 1_795_132_800))
        #expect(peer.entries.count == 2)
        var hits = IndicatorHits(indicators: peer)
        // "eval": the template on 1 of 10 requests, the ASN on all; "harvester": the template on 8 of 10.
        for n in 0..<10 {
            hits.record(account: "eval", time: Double(n), matches: n == 3 ? [0, 1] : [1])
            hits.record(account: "harvester", time: Double(n), matches: n < 8 ? [0] : [])
        }
        var verdicts = Verdicts(accounts: [AccountVerdict(account: "eval", flagged: false, score: 0.1),
                                           AccountVerdict(account: "harvester", flagged: false, score: 0.1)])
        hits.apply(to: &verdicts)
        let eval = try #require(verdicts.account("eval"))
        #expect(!eval.flagged && eval.score == 0.1)
        #expect(eval.reasons.map(\.signal) == ["peer_indicator_hint", "peer_indicator_hint"])
        let harvester = try #require(verdicts.account("harvester"))
        #expect(harvester.flagged && harvester.score == 0.75)
        #expect(harvester.reasons.first?.signal == "peer_indicator")
        #expect(harvester.reasons.first?.detail.contains("from request 1 of 10") == true)
        #expect(verdicts.accounts.first?.account == "harvester")
    }
}
