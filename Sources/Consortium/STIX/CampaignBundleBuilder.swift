import AegisCore
import Foundation

/// Turns the flagged campaigns of a verdicts file, and the evidence the log
/// holds on them, into one STIX 2.1 bundle a peer can use.
///
/// Nothing that identifies a user goes in: no account ids, prompts or e-mail
/// addresses. Network values go in clear only when no unflagged account used
/// them; payment fingerprints, e-mail values and templates only as keyed
/// digests, templates only when at least k of the campaign's accounts sent them.
public struct CampaignBundleBuilder: Sendable {
    /// The publication settings.
    public let options: PublishOptions
    private let verdicts: Verdicts
    private let keyID: String

    /// Creates a builder; `key` is the consortium key digests are published under.
    public init(verdicts: Verdicts, key: ConsortiumKey, options: PublishOptions) {
        self.verdicts = verdicts
        self.keyID = key.id
        self.options = options
    }

    /// The producer's identity object.
    public var producerIdentity: JSONValue { Self.identity(producer: options.producer) }

    /// The identity object of a producer named `producer` (its id depends on the name only).
    public static func identity(producer: String) -> JSONValue {
        [
            "type": "identity",
            "spec_version": "2.1",
            "id": .string(STIXIdentifier.object("identity", ["name": .string(producer)])),
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
            "name": .string(producer),
            "identity_class": "organization",
            "sectors": ["technology"],
        ]
    }

    /// The bundle for `evidence`; campaigns with nothing publishable are left out.
    public func bundle(_ evidence: CampaignEvidence) -> JSONValue {
        var objects = BundleObjects()
        let identity = producerIdentity
        let producer = identity["id"]?.stringValue ?? ""
        objects.add(options.tlp.object)
        objects.add(identity)
        objects.add(ATLASTechnique.object)
        let day = STIXTimestamp.dayStart(options.now)
        let published = STIXTimestamp.format(microseconds: day)
        let validUntil = STIXTimestamp.format(microseconds: day + Int64(options.validDays) * 86_400 * 1_000_000)
        let marking: JSONValue = [.string(options.tlp.id)]

        for campaign in verdicts.campaigns {
            guard let tallies = evidence.tallies[campaign.id], let members = evidence.members[campaign.id] else { continue }
            let chosen = select(tallies, evidence: evidence)
            guard chosen.contains(where: { $0.value.isStrong }) else { continue }
            if options.encoding != .core && chosen.contains(where: { if case .keyed = $0.value { true } else { false } }) {
                objects.add(KeyedFingerprintExtension.authorIdentity)
                objects.add(KeyedFingerprintExtension.definition)
            }
            let campaignID = STIXIdentifier.object("campaign", [
                "producer": .string(producer),
                "indicators": .array(chosen.filter(\.value.isStrong).map { .string($0.value.pattern) }),
            ])
            let requests = evidence.requests[campaign.id] ?? campaign.requests
            objects.add([
                "type": "campaign", "spec_version": "2.1", "id": .string(campaignID),
                "created_by_ref": .string(producer),
                "created": .string(STIXTimestamp.format(campaign.firstSeen)), "modified": .string(published),
                "name": .string("Distillation campaign " + campaignID.suffix(36).prefix(8)),
                "description": .string("""
                    \(members.count) accounts sent \(requests) requests harvesting model answers; \
                    signals: \(campaign.signals.joined(separator: ", ")).
                    """),
                "first_seen": .string(STIXTimestamp.format(campaign.firstSeen)),
                "last_seen": .string(STIXTimestamp.format(campaign.lastSeen)),
                "objective": "Distil the provider's model from its answers",
                "confidence": .number(campaign.score.isFinite ? (min(max(campaign.score, 0), 1) * 100).rounded() : 50),
                "object_marking_refs": marking,
            ])
            objects.add(relationship(producer, campaignID, "uses", ATLASTechnique.id, published, marking))

            var observableIDs: [String] = []
            for (value, tally) in chosen {
                guard let observable = observable(value, tally) else { continue }
                objects.add(observable)
                if let id = observable["id"]?.stringValue { observableIDs.append(id) }
            }
            let observedID = STIXIdentifier.object("observed-data", ["campaign": .string(campaignID), "day": .string(published)])
            if !observableIDs.isEmpty {
                objects.add([
                    "type": "observed-data", "spec_version": "2.1", "id": .string(observedID),
                    "created_by_ref": .string(producer), "created": .string(published), "modified": .string(published),
                    "first_observed": .string(STIXTimestamp.format(campaign.firstSeen)),
                    "last_observed": .string(STIXTimestamp.format(campaign.lastSeen)),
                    "number_observed": .number(Double(max(1, min(requests, 999_999_999)))),
                    "object_refs": .array(observableIDs.map { .string($0) }),
                    "object_marking_refs": marking,
                ])
            }

            for (value, tally) in chosen {
                for pattern in patterns(value) {
                    let indicatorID = STIXIdentifier.object("indicator", ["pattern": .string(pattern), "pattern_type": "stix"])
                    objects.add([
                        "type": "indicator", "spec_version": "2.1", "id": .string(indicatorID),
                        "created": .string(published), "modified": .string(published),
                        "name": .string("Distillation infrastructure: \(value.label)"),
                        "description": .string(Self.description(value)),
                        "indicator_types": [value.isStrong ? "malicious-activity" : "anomalous-activity"],
                        "pattern": .string(pattern), "pattern_type": "stix", "pattern_version": "2.1",
                        "valid_from": .string(published), "valid_until": .string(validUntil),
                        "confidence": .number(Double(Self.confidence(value))),
                        "labels": ["aegis-distillation"],
                        "object_marking_refs": marking,
                    ])
                    objects.add(relationship(producer, indicatorID, "indicates", campaignID, published, marking))
                    var sighting = JSONObject([
                        ("type", "sighting"), ("spec_version", "2.1"),
                        ("id", .string(STIXIdentifier.object("sighting", [
                            "producer": .string(producer), "indicator": .string(indicatorID),
                            "campaign": .string(campaignID), "day": .string(published),
                        ]))),
                        ("created_by_ref", .string(producer)), ("created", .string(published)), ("modified", .string(published)),
                        ("first_seen", .string(STIXTimestamp.format(Date(timeIntervalSince1970: tally.first)))),
                        ("last_seen", .string(STIXTimestamp.format(Date(timeIntervalSince1970: tally.last)))),
                        ("count", .number(Double(min(tally.requests, 999_999_999)))),
                        ("sighting_of_ref", .string(indicatorID)),
                        ("where_sighted_refs", [.string(producer)]),
                        ("object_marking_refs", marking),
                    ])
                    if !observableIDs.isEmpty { sighting.append(key: "observed_data_refs", value: [.string(observedID)]) }
                    objects.add(.object(sighting))
                }
            }
        }
        return objects.bundle
    }

    /// The values of one campaign that may be published, strongest evidence first.
    func select(_ tallies: [IndicatorValue: CampaignEvidence.Tally],
                evidence: CampaignEvidence) -> [(value: IndicatorValue, tally: CampaignEvidence.Tally)] {
        var chosen: [(value: IndicatorValue, tally: CampaignEvidence.Tally)] = []
        var templates: [(value: IndicatorValue, tally: CampaignEvidence.Tally)] = []
        for (value, tally) in tallies {
            switch value {
            case .ip:
                if !evidence.usedByOthers.contains(value) { chosen.append((value, tally)) }
            case .cidr(let network):
                let others = evidence.otherRequestsByNetwork[network] ?? 0
                let share = Double(tally.requests) / Double(tally.requests + others)
                if tally.accounts.count >= 2 && share >= options.networkShare { chosen.append((value, tally)) }
            case .asn:
                if tally.accounts.count >= 2 { chosen.append((value, tally)) }
            case .keyed(let kind, let keyID, _):
                guard keyID == self.keyID, !evidence.usedByOthers.contains(value) else { continue }
                if kind == "prompt-template" {
                    if tally.accounts.count >= options.minTemplateAccounts { templates.append((value, tally)) }
                } else {
                    chosen.append((value, tally))
                }
            }
        }
        templates.sort { ($0.tally.accounts.count, $1.value) > ($1.tally.accounts.count, $0.value) }
        chosen += templates.prefix(options.maxTemplatesPerCampaign)
        chosen.sort { ($0.tally.requests, $1.value) > ($1.tally.requests, $0.value) }
        return chosen
    }

    private func patterns(_ value: IndicatorValue) -> [String] {
        guard let core = value.corePattern else { return [value.pattern] }
        switch options.encoding {
        case .extensionObservable: return [value.pattern]
        case .core: return [core]
        case .both: return [value.pattern, core]
        }
    }

    private func observable(_ value: IndicatorValue, _ tally: CampaignEvidence.Tally) -> JSONValue? {
        switch value {
        case .ip(let v), .cidr(let v):
            let type = v.contains(":") ? "ipv6-addr" : "ipv4-addr"
            return ["type": .string(type), "spec_version": "2.1",
                    "id": .string(STIXIdentifier.observable(type, ["value": .string(v)])), "value": .string(v)]
        case .asn(let n):
            return ["type": "autonomous-system", "spec_version": "2.1",
                    "id": .string(STIXIdentifier.observable("autonomous-system", ["number": .number(Double(n))])),
                    "number": .number(Double(n))]
        case .keyed(let kind, let keyID, let digest):
            guard options.encoding != .core else { return nil }
            let isTemplate = kind == "prompt-template"
            return KeyedFingerprintExtension.observable(kind: kind, keyID: keyID, digest: digest,
                                                        bands: isTemplate ? tally.bands : [],
                                                        minAccounts: isTemplate ? options.minTemplateAccounts : nil)
        }
    }

    private func relationship(_ producer: String, _ source: String, _ type: String, _ target: String,
                              _ published: String, _ marking: JSONValue) -> JSONValue {
        [
            "type": "relationship", "spec_version": "2.1",
            "id": .string(STIXIdentifier.object("relationship", [
                "producer": .string(producer), "source": .string(source), "type": .string(type), "target": .string(target),
            ])),
            "created_by_ref": .string(producer), "created": .string(published), "modified": .string(published),
            "relationship_type": .string(type), "source_ref": .string(source), "target_ref": .string(target),
            "object_marking_refs": marking,
        ]
    }

    static func description(_ value: IndicatorValue) -> String {
        let base = "Seen in a campaign harvesting a served model's answers (MITRE ATLAS \(ATLASTechnique.externalID))."
        switch value {
        case .asn: return base + " An autonomous system is shared by many customers: a hint, not proof."
        case .keyed(_, let keyID, _):
            return base + " The value is a keyed digest: compare it with digests made under consortium key \(keyID)."
        default: return base
        }
    }

    /// How much one match says (STIX confidence, 0-100).
    static func confidence(_ value: IndicatorValue) -> Int {
        switch value {
        case .ip: 80
        case .cidr: 70
        case .asn: 15
        case .keyed(let kind, _, _): kind == "prompt-template" ? 75 : (kind == "email-domain" ? 80 : 90)
        }
    }

    /// A new version of `object` that revokes it (STIX §3.6: same id, later
    /// `modified`, `revoked: true`); peers then stop matching it.
    public static func revoked(_ object: JSONValue, at date: Date) -> JSONValue {
        guard case .object(var members) = object else { return object }
        var out = JSONObject()
        for (key, value) in members where key != "modified" && key != "revoked" { out.append(key: key, value: value) }
        var modified = STIXTimestamp.microseconds(date)
        if let old = members["modified"]?.stringValue.flatMap(STIXTimestamp.microseconds), old >= modified {
            modified = old + 1000
        }
        out.append(key: "modified", value: .string(STIXTimestamp.format(microseconds: modified)))
        out.append(key: "revoked", value: true)
        members = out
        return .object(members)
    }
}

/// Objects of one bundle in the order they were added, each id once.
struct BundleObjects {
    private(set) var objects: [JSONValue] = []
    private var ids: Set<String> = []

    mutating func add(_ object: JSONValue) {
        guard let id = object["id"]?.stringValue, ids.insert(id).inserted else { return }
        objects.append(object)
    }

    var bundle: JSONValue {
        let name = ids.sorted().joined(separator: ",")
        return [
            "type": "bundle",
            "id": .string("bundle--" + STIXIdentifier.uuid5(namespace: STIXIdentifier.aegisNamespace, name: Array(name.utf8))),
            "objects": .array(objects),
        ]
    }
}
