import AegisCore
import Foundation
@testable import Detection

/// Hand-written traffic for signal tests.
struct TrafficBuilder {
    static let t0 = 1_795_132_800.0 // 2026-11-20T00:00:00Z
    var exchanges: [Exchange] = []
    private var serial = 0

    mutating func add(_ account: String, at time: Double, prompt: String, model: String = "m1",
                      params: [(String, JSONValue)] = [], completion: Int = 200, finish: String = "stop",
                      ip: String? = nil, payment: String? = nil, agent: String? = nil, created: Double? = nil,
                      history: Bool = false) {
        serial += 1
        var messages: [JSONValue] = []
        if history {
            messages.append(["role": "user", "content": "earlier question"])
            messages.append(["role": "assistant", "content": "earlier answer"])
        }
        messages.append(["role": "user", "content": .string(prompt)])
        var request = JSONObject([(key: "messages", value: .array(messages))])
        for (k, v) in params { request.append(key: k, value: v) }
        exchanges.append(Exchange(
            id: "ex_\(serial)", time: Date(timeIntervalSince1970: time), account: account,
            client: ClientInfo(ip: ip ?? Self.ownIP(account), userAgent: agent ?? "ua-\(account)", asn: 64500),
            accountMeta: AccountMeta(created: created.map { Date(timeIntervalSince1970: $0) }, paymentFingerprint: payment ?? "pf_\(account)",
                                     emailDomain: "gmail.com"),
            model: model, request: .object(request),
            response: ExchangeResponse(status: 200, choices: [.init(text: "ok", finishReason: finish)],
                                       usage: .init(promptTokens: max(1, prompt.utf8.count / 4), completionTokens: completion))))
    }

    /// A distinct address per account (unrelated accounts must not share IPs by accident).
    static func ownIP(_ account: String) -> String {
        var h: UInt32 = 2_166_136_261
        for b in account.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return "10.\(h >> 24).\((h >> 16) & 255).\((h >> 8) & 255)"
    }

    func detector(_ configuration: DetectorConfiguration = DetectorConfiguration()) -> CampaignDetector {
        var d = CampaignDetector(configuration: configuration)
        for e in exchanges.sorted(by: { $0.time < $1.time }) { d.observe(e) }
        return d
    }
}

extension CampaignDetector {
    func reading(_ account: String, _ signal: Signal) -> Double {
        accountScore(account)?.readings.first { $0.signal == signal }?.value ?? 0
    }
}

let ordinaryPrompts = [
    "What should I cook tonight with leftover rice and two eggs?", "Help me write a birthday card for my aunt.",
    "Why is the sky blue?", "Give me three ideas for a rainy Sunday.", "How do I remove a coffee stain from a shirt?",
    "Explain what a mortgage is in simple words.", "Suggest a name for my new cat.", "Translate 'good morning' into Italian.",
    "What is a good beginner workout?", "How long should I boil an egg?",
]
