import AegisCore
import Foundation
import Store

/// The fields of one exchange-log line as the gateway gathers them while it
/// serves a request. ``text`` hands them to AegisCore's one writer
/// (``ExchangeLineWriter``), passing the request body through as received.
struct ExchangeLine {
    var id: String
    var time: Date
    var account: String?
    var keyID: String?
    var clientIP: String?
    var userAgent: String?
    /// When the account was created, and what sign-up and billing know of it.
    var accountCreated: Date?
    var accountMetadata: AccountMetadata?
    var model: String?
    var endpoint: String
    /// The request body as one-line JSON, or nil when it was not JSON.
    var requestJSON: String?
    /// The same body parsed (the record the detector gets); the line is written from ``requestJSON``.
    var requestBody: JSONValue?
    /// The raw body when it was not JSON (kept as a string, truncated).
    var rawRequest: String?
    var status: Int
    /// What the answer held (choices, usage, an upstream's error), or nil for the gateway's own errors.
    var response: ResponseSummary?
    /// The error the gateway answered with, if any.
    var error: GatewayError?
    var policy: PolicyDecision?
    /// Whether the answer carries the watermark and how (answers only).
    var mark: AnswerMark?

    /// The store's entry for the line written from `exchange` (this line's ``exchange``).
    func logged(_ exchange: Exchange) -> LoggedExchange {
        LoggedExchange(id: id, time: time, account: account, keyID: keyID, endpoint: endpoint, status: status,
                       line: text(exchange))
    }

    /// The exchange as the log's record, the request body parsed; the line
    /// itself carries ``requestJSON`` verbatim in its place.
    var exchange: Exchange {
        // `account` is required by the format: "" marks a request that never authenticated.
        var exchange = Exchange(
            id: id, time: time, account: account ?? "", keyID: keyID,
            client: ClientInfo(ip: clientIP, userAgent: userAgent),
            accountMeta: accountCreated.map {
                AccountMeta(created: $0, paymentFingerprint: accountMetadata?.paymentFingerprint,
                            emailDomain: accountMetadata?.emailDomain, tier: accountMetadata?.tier)
            },
            model: model, endpoint: endpoint,
            request: requestBody ?? (requestJSON == nil ? ["unparsed_body": .string(rawRequest ?? "")] : .null))
        var response = self.response?.exchangeResponse(status: status) ?? ExchangeResponse(status: status)
        if let error { response.extra["error"] = error.object }
        exchange.response = response
        if let policy, policy.action != .allow {
            exchange.extra["policy"] = ["action": .string(policy.action.rawValue),
                                        "reason": policy.reason.map(JSONValue.string) ?? .null]
        }
        if let mark { exchange.extra["watermark"] = mark.json }
        return exchange
    }

    /// The line, without its newline.
    var text: String { text(exchange) }

    /// The line written from `exchange`, without its newline.
    func text(_ exchange: Exchange) -> String {
        var out = ""
        out.reserveCapacity(512 + (requestJSON?.utf8.count ?? 0))
        ExchangeLineWriter.append(exchange, rawRequest: requestJSON, to: &out)
        return out
    }
}
