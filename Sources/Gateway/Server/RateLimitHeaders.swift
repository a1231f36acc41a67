import HTTPTypes
import Hummingbird

/// The rate-limit headers OpenAI's clients read.
enum RateLimitHeaders {
    static func add(_ snapshot: Admission.Snapshot?, to headers: inout HTTPFields) {
        guard let snapshot else { return }
        for (name, value) in fields(snapshot) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
    }

    static func fields(_ snapshot: Admission.Snapshot) -> [(String, String)] {
        var fields: [(String, String)] = []
        if let limit = snapshot.limitRequests {
            fields.append(("x-ratelimit-limit-requests", String(limit)))
            fields.append(("x-ratelimit-remaining-requests", String(snapshot.remainingRequests ?? 0)))
            fields.append(("x-ratelimit-reset-requests", duration(snapshot.resetRequests ?? 0)))
        }
        if let limit = snapshot.limitTokens {
            fields.append(("x-ratelimit-limit-tokens", String(limit)))
            fields.append(("x-ratelimit-remaining-tokens", String(snapshot.remainingTokens ?? 0)))
            fields.append(("x-ratelimit-reset-tokens", duration(snapshot.resetTokens ?? 0)))
        }
        return fields
    }

    /// The 429 error for a refusal, with Retry-After and the rate-limit headers.
    static func error(_ refusal: Admission.Refusal, _ snapshot: Admission.Snapshot, scope: String) -> GatewayError {
        var headers = fields(snapshot)
        headers.append(("retry-after", String(Int(refusal.retryAfter.rounded(.up)))))
        headers.append(("retry-after-ms", String(Int((refusal.retryAfter * 1000).rounded(.up)))))
        if refusal.exhausted {
            headers.append(("x-should-retry", "false"))
            return GatewayError(
                status: 429,
                message: "this request needs more \(refusal.limit) than the \(scope) may ever use per minute; ask for fewer tokens or a higher limit",
                type: "insufficient_quota", code: "insufficient_quota", headers: headers)
        }
        let seconds = (refusal.retryAfter * 1000).rounded(.up) / 1000
        return GatewayError(
            status: 429,
            message: "rate limit reached for \(refusal.limit) on \(scope); retry in \(seconds) s",
            type: refusal.limit, code: "rate_limit_exceeded", headers: headers)
    }

    /// Go-style durations as OpenAI writes them: "20ms", "6s", "1m30s".
    static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded(.up)))ms" }
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m\(whole % 60)s"
    }
}
