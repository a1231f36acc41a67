import Foundation
import Store

/// Builds one exchange-log line in the format of DESIGN.md.
///
/// Written by hand rather than through an encoder: it runs once per request
/// and embeds the request body as received (already validated JSON) verbatim.
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
    /// The raw body when it was not JSON (kept as a string, truncated).
    var rawRequest: String?
    var status: Int
    /// The `response` member, without status (from ``ResponseSummary``), or nil for errors.
    var response: ResponseSummary?
    /// The error the gateway answered with, if any.
    var error: GatewayError?
    var policy: PolicyDecision?

    func logged() -> LoggedExchange {
        LoggedExchange(id: id, time: time, account: account, keyID: keyID, endpoint: endpoint, status: status, line: text)
    }

    var text: String {
        // `account` is required by the format: "" marks a request that never authenticated.
        var out = "{\"id\":\"\(id)\",\"time\":\"\(Self.timestamp(time))\",\"account\":"
        JSONText.appendString(account ?? "", to: &out)
        out += ",\"key_id\":"
        JSONText.appendOptionalString(keyID, to: &out)
        out += ",\"client\":{\"ip\":"
        JSONText.appendOptionalString(clientIP, to: &out)
        out += ",\"user_agent\":"
        JSONText.appendOptionalString(userAgent, to: &out)
        out += "}"
        if let accountCreated {
            out += ",\"account_meta\":{\"created\":\"\(Self.timestamp(accountCreated))\""
            if let metadata = accountMetadata {
                for (name, value) in [("payment_fingerprint", metadata.paymentFingerprint),
                                      ("email_domain", metadata.emailDomain), ("tier", metadata.tier)] {
                    guard let value else { continue }
                    out += ",\"\(name)\":"
                    JSONText.appendString(value, to: &out)
                }
            }
            out += "}"
        }
        out += ",\"model\":"
        JSONText.appendOptionalString(model, to: &out)
        out += ",\"endpoint\":\"\(endpoint)\",\"request\":"
        if let requestJSON {
            out += requestJSON
        } else {
            out += "{\"unparsed_body\":"
            JSONText.appendString(rawRequest ?? "", to: &out)
            out += "}"
        }
        out += ",\"response\":"
        if let response {
            out += response.logJSON(status: status)
        } else if let error {
            out += "{\"status\":\(status),\"error\":" + error.body.dropFirst(9).dropLast() + "}"
        } else {
            out += "{\"status\":\(status)}"
        }
        if let policy, policy.action != .allow {
            out += ",\"policy\":{\"action\":\"\(policy.action.rawValue)\",\"reason\":"
            JSONText.appendOptionalString(policy.reason, to: &out)
            out += "}"
        }
        out += "}"
        return out
    }

    /// RFC 3339 UTC with milliseconds, e.g. 2026-11-29T10:00:00.123Z.
    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = millis / 1000
        var days = seconds / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil-from-days (proleptic Gregorian), valid for all dates after 1970.
        days += 719_468
        let era = days / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millis % 1000, 3))Z"
    }
}
