import AegisCore
import Consortium
import Detection
import Testing

@Suite struct PrivacyTests {
    private var text: String { JSONWriter().string(SimulatedProviders.bundle) }

    @Test func theBundleHoldsCampaignsIndicatorsAndTheirContext() throws {
        let objects = try #require(SimulatedProviders.bundle["objects"]?.arrayValue)
        let types = Set(objects.compactMap { $0["type"]?.stringValue })
        for type in ["campaign", "indicator", "sighting", "observed-data", "attack-pattern", "relationship", "identity",
                     "marking-definition", "extension-definition", KeyedFingerprintExtension.type] {
            #expect(types.contains(type), "no \(type) in the bundle")
        }
        #expect(objects.contains { $0["id"]?.stringValue == TLPMarking.amberStrict.id })
        let attack = try #require(objects.first { $0["type"]?.stringValue == "attack-pattern" })
        #expect(attack["external_references"]?.arrayValue?.first?["external_id"]?.stringValue == "AML.T0024.002")
        // Every authored object carries the default marking, every indicator an expiry.
        for object in objects where object["created_by_ref"] != nil && object["type"]?.stringValue != "extension-definition" {
            #expect(object["object_marking_refs"]?.arrayValue?.first?.stringValue == TLPMarking.amberStrict.id)
        }
        for indicator in objects where indicator["type"]?.stringValue == "indicator" {
            #expect(indicator["valid_until"]?.stringValue != nil)
        }
        // Ids are unique.
        let ids = objects.compactMap { $0["id"]?.stringValue }
        #expect(Set(ids).count == ids.count)
    }

    @Test func noAccountIDPromptOrEmailLeaves() {
        let bytes = Array(text.utf8)
        // Thousands of substring searches over a megabyte: every 8-byte window of
        // the bundle goes into a set first, so a needle whose first 8 bytes are
        // absent is certainly absent, and only the rest are searched for.
        struct Haystack {
            let bytes: [UInt8]
            let windows: Set<UInt64>
            init(bytes: [UInt8]) {
                self.bytes = bytes
                var windows = Set<UInt64>()
                var w: UInt64 = 0
                for (i, b) in bytes.enumerated() {
                    w = w >> 8 | UInt64(b) << 56
                    if i >= 7 { windows.insert(w) }
                }
                self.windows = windows
            }
            func contains(_ needle: String) -> Bool {
                let n = Array(needle.utf8)
                if n.count >= 8 {
                    var w: UInt64 = 0
                    for b in n.prefix(8) { w = w >> 8 | UInt64(b) << 56 }
                    if !windows.contains(w) { return false }
                }
                guard n.count <= bytes.count else { return false }
                for start in 0...(bytes.count - n.count) where bytes[start] == n[0] {
                    if Array(bytes[start..<(start + n.count)]) == n { return true }
                }
                return false
            }
        }
        let text = Haystack(bytes: bytes)
        var accounts = Set<String>(), prompts = Set<String>(), payments = Set<String>(), domains = Set<String>()
        for e in SimulatedProviders.a.exchanges {
            accounts.insert(e.account)
            let (prompt, _) = FeatureExtractor.promptText(e.request)
            if prompt.count >= 24 { prompts.insert(prompt) }
            if let p = e.accountMeta?.paymentFingerprint { payments.insert(p) }
            if let d = e.accountMeta?.emailDomain { domains.insert(d) }
        }
        #expect(!accounts.isEmpty && !prompts.isEmpty)
        for account in accounts { #expect(!text.contains(account), "account id \(account) leaked") }
        for payment in payments { #expect(!text.contains(payment), "payment fingerprint \(payment) leaked") }
        for domain in domains { #expect(!text.contains("'\(domain)'") && !text.contains("\"\(domain)\""), "e-mail domain \(domain) leaked") }
        for prompt in prompts { #expect(!text.contains(prompt), "a prompt leaked: \(prompt.prefix(40))") }
        // Not even a prompt's opening words.
        for prompt in prompts.prefix(200) { #expect(!text.contains(String(prompt.prefix(24)))) }
    }

    @Test func buildingTwiceGivesTheSameBundle() {
        var evidence = CampaignEvidence(verdicts: SimulatedProviders.a.verdicts,
                                        extractor: IndicatorExtractor(keys: [SimulatedProviders.key]))
        for e in SimulatedProviders.a.exchanges { evidence.observe(e) }
        var options = PublishOptions()
        options.producer = "Provider A"
        options.now = .init(timeIntervalSince1970: 1_795_132_800 + 5 * 86_400)
        let again = CampaignBundleBuilder(verdicts: SimulatedProviders.a.verdicts, key: SimulatedProviders.key,
                                          options: options).bundle(evidence)
        #expect(JSONWriter.canonical.string(again) == JSONWriter.canonical.string(SimulatedProviders.bundle))
    }

    @Test func templatesNeedKAccounts() throws {
        var evidence = CampaignEvidence(verdicts: SimulatedProviders.a.verdicts,
                                        extractor: IndicatorExtractor(keys: [SimulatedProviders.key]))
        for e in SimulatedProviders.a.exchanges { evidence.observe(e) }
        var options = PublishOptions()
        options.minTemplateAccounts = 1_000
        let bundle = CampaignBundleBuilder(verdicts: SimulatedProviders.a.verdicts, key: SimulatedProviders.key,
                                           options: options).bundle(evidence)
        let patterns = (bundle["objects"]?.arrayValue ?? []).compactMap { $0["pattern"]?.stringValue }
        #expect(!patterns.isEmpty)
        #expect(!patterns.contains { $0.contains("prompt-template") })
        #expect(JSONWriter().string(SimulatedProviders.bundle).contains("prompt-template"))
    }

    @Test func theOtherProviderFlagsTheSameActorsFromTheirFirstRequest() throws {
        let peer = try PeerIndicators(bundle: SimulatedProviders.bundle, now: .init(timeIntervalSince1970: 1_795_132_800 + 6 * 86_400))
        #expect(!peer.entries.isEmpty)
        let extractor = IndicatorExtractor(keys: [SimulatedProviders.key])
        var hits = IndicatorHits(indicators: peer)
        let b = SimulatedProviders.b
        for e in b.exchanges {
            hits.record(account: e.account, time: e.time.timeIntervalSince1970, matches: peer.matches(extractor.values(of: e)))
        }
        var verdicts = b.verdicts
        hits.apply(to: &verdicts)
        let matched = Set(verdicts.accounts.filter { $0.reasons.contains { $0.signal == "peer_indicator" } }.map(\.account))
        #expect(!matched.isEmpty)
        #expect(matched.isSubset(of: b.campaignAccounts), "an innocent account matched a peer indicator")
        // Most of B's campaign accounts match (their shared infrastructure), each from its first request.
        #expect(Double(matched.count) >= 0.8 * Double(b.campaignAccounts.count))
        for account in matched {
            let first = hits.accounts[account]?.values.map(\.firstRequest).min()
            #expect(first == 1, "\(account) first matched at request \(first ?? -1)")
            #expect(verdicts.account(account)?.flagged == true)
        }
    }

    @Test func patternsRoundTripAndRevocationIsHonoured() throws {
        let values: [IndicatorValue] = [.ip("203.0.113.9"), .ip("2001:db8::1"), .cidr("203.0.113.0/24"), .asn(64500),
                                        .keyed(kind: "payment", keyID: "k1", digest: "00ff"),
                                        .keyed(kind: "email-domain", keyID: "k-2", digest: "abcd")]
        for value in values {
            #expect(IndicatorValue(pattern: value.pattern) == value)
            if let core = value.corePattern { #expect(IndicatorValue(pattern: core) == value) }
        }
        #expect(IndicatorValue(pattern: "[file:name = 'x'] OR [file:name = 'y']") == nil)

        let indicator: JSONValue = [
            "type": "indicator", "spec_version": "2.1", "id": "indicator--6b616fc1-1505-48e3-8b2c-0d19337bff38",
            "created": "2026-11-20T00:00:00.000Z", "modified": "2026-11-20T00:00:00.000Z",
            "pattern": "[ipv4-addr:value = '203.0.113.9']", "pattern_type": "stix", "valid_from": "2026-11-20T00:00:00.000Z",
        ]
        let now = STIXTimestamp.microseconds("2026-11-25T00:00:00Z").map { Double($0) / 1e6 } ?? 0
        let live = try PeerIndicators(bundle: ["objects": [indicator]], now: .init(timeIntervalSince1970: now))
        #expect(live.entries.count == 1)
        let revoked = CampaignBundleBuilder.revoked(indicator, at: .init(timeIntervalSince1970: now))
        #expect(revoked["revoked"]?.boolValue == true)
        #expect(revoked["id"] == indicator["id"])
        let dead = try PeerIndicators(bundle: ["objects": [indicator, revoked]], now: .init(timeIntervalSince1970: now))
        #expect(dead.entries.isEmpty && dead.skipped == 1)
    }
}
