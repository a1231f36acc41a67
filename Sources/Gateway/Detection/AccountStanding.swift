import AegisCore
import Foundation

/// What the live detector currently thinks of one account: the action its
/// score calls for, the decision the gateway applies, and the evidence.
struct AccountStanding: Sendable {
    /// The action the score calls for.
    var action: PolicyDecision.Action
    /// The decision applied on the account's requests (enforce mode).
    var decision: PolicyDecision
    /// The verdict it comes from.
    var verdict: AccountVerdict
    /// When the finding is one stream of the account (a reseller's distillation
    /// customer) and not the account or its campaign: the streams acted on.
    /// Requests of the account's other streams go through. Nil: the whole account.
    var scopedStreams: Set<String>?

    init(verdict: AccountVerdict, settings: LiveDetectionSettings) {
        self.verdict = verdict
        action = settings.action(for: verdict.score)
        if verdict.campaign == nil, verdict.reasons.first?.detail.hasPrefix("stream ") == true {
            let acted = verdict.streams.filter { settings.action(for: $0.score) != .allow }.map(\.stream)
            if !acted.isEmpty { scopedStreams = Set(acted) }
        }
        // Stable texts: the gateway records a change of decision, not every new score
        // (the detector's own record of the change carries the score and reasons).
        switch action {
        case .allow:
            decision = .allow
        case .throttle:
            decision = .throttle(settings.throttleLimits, reason: "throttled by campaign detection")
        case .degrade:
            decision = .degrade(maxTokens: settings.degradeMaxTokens, limits: settings.throttleLimits,
                                withholding: .all, reason: "degraded by campaign detection")
        case .block:
            // The client sees this text: no reasons, which would teach a campaign what to change.
            decision = .block("suspended by automated abuse detection; contact support to appeal")
        }
    }

    /// The evidence in one line, for the audit record: score, campaign, top reasons.
    var explanation: String {
        var parts = ["score \(Self.format(verdict.score))"]
        if let scopedStreams { parts.append("only stream " + scopedStreams.sorted().joined(separator: ", ")) }
        if let campaign = verdict.campaign { parts.append("campaign \(campaign)") }
        for reason in verdict.reasons {
            let detail = reason.detail.isEmpty ? "" : " (\(reason.detail))"
            parts.append("\(reason.signal) \(Self.format(reason.value))\(detail)")
        }
        return parts.joined(separator: "; ")
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
