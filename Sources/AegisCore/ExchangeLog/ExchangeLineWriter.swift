/// The one writer of exchange-log lines (DESIGN.md, "Exchange log"): the
/// gateway's log, `aegis simulate` and every `Exchange.jsonLine()` go through it,
/// and ``Exchange/init(line:)`` (with ``ExchangeLogReader``) reads what it writes.
///
/// Written by hand with the append helpers rather than by building a
/// ``JSONValue``: the gateway writes one line per request, and passes the
/// request body it received through verbatim (`rawRequest`) instead of
/// parsing it into a value and writing it back.
///
/// Fields are written in DESIGN.md's order; absent optional fields are left
/// out (readers treat `null` and absence alike); fields this version does not
/// know (`extra`) follow their object's known fields, sorted by name.
public enum ExchangeLineWriter {
    /// Appends `exchange` as one compact JSON line, without the newline.
    /// - Parameter rawRequest: the request body as valid one-line JSON, written
    ///   verbatim in place of `exchange.request`; nil writes `exchange.request`.
    public static func append(_ exchange: Exchange, rawRequest: String? = nil, to out: inout String) {
        out += "{\"id\":"
        JSONWriter.appendString(exchange.id, to: &out)
        out += ",\"time\":\""
        out += ExchangeTime.format(exchange.time)
        out += "\",\"account\":"
        JSONWriter.appendString(exchange.account, to: &out)
        member("key_id", exchange.keyID, &out)
        if let client = exchange.client {
            out += ",\"client\":{"
            var first = true
            member("ip", client.ip, &out, first: &first)
            member("user_agent", client.userAgent, &out, first: &first)
            member("asn", client.asn, &out, first: &first)
            member("country", client.country, &out, first: &first)
            extra(client.extra, &out, first: &first)
            out += "}"
        }
        if let meta = exchange.accountMeta {
            out += ",\"account_meta\":{"
            var first = true
            member("created", meta.created.map(ExchangeTime.format), &out, first: &first)
            member("payment_fingerprint", meta.paymentFingerprint, &out, first: &first)
            member("email_domain", meta.emailDomain, &out, first: &first)
            member("tier", meta.tier, &out, first: &first)
            extra(meta.extra, &out, first: &first)
            out += "}"
        }
        member("model", exchange.model, &out)
        member("endpoint", exchange.endpoint, &out)
        out += ",\"request\":"
        if let rawRequest { out += rawRequest } else { value(exchange.request, &out) }
        if let response = exchange.response {
            out += ",\"response\":"
            append(response, to: &out)
        }
        member("session", exchange.session, &out)
        var first = false
        extra(exchange.extra, &out, first: &first)
        out += "}"
    }

    /// Appends the `response` object.
    private static func append(_ response: ExchangeResponse, to out: inout String) {
        out += "{"
        var first = true
        member("status", response.status, &out, first: &first)
        if !response.choices.isEmpty {
            separator(&first, &out)
            out += "\"choices\":["
            for (index, choice) in response.choices.enumerated() {
                if index > 0 { out += "," }
                out += "{"
                var firstInChoice = true
                // Chat-style answers keep their text in `message.content` (an extra); don't write it twice.
                let text = choice.text.flatMap { $0 == choice.extra["message"]?["content"]?.stringValue ? nil : $0 }
                member("text", text, &out, first: &firstInChoice)
                member("finish_reason", choice.finishReason, &out, first: &firstInChoice)
                extra(choice.extra, &out, first: &firstInChoice)
                out += "}"
            }
            out += "]"
        }
        if let usage = response.usage {
            separator(&first, &out)
            out += "\"usage\":{"
            var firstInUsage = true
            member("prompt_tokens", usage.promptTokens, &out, first: &firstInUsage)
            member("completion_tokens", usage.completionTokens, &out, first: &firstInUsage)
            extra(usage.extra, &out, first: &firstInUsage)
            out += "}"
        }
        extra(response.extra, &out, first: &first)
        out += "}"
    }

    @inline(__always)
    private static func separator(_ first: inout Bool, _ out: inout String) {
        if first { first = false } else { out += "," }
    }

    /// `,"name":"value"` for a top-level member that is present.
    private static func member(_ name: StaticString, _ text: String?, _ out: inout String) {
        var first = false
        member(name, text, &out, first: &first)
    }

    private static func member(_ name: StaticString, _ text: String?, _ out: inout String, first: inout Bool) {
        guard let text else { return }
        separator(&first, &out)
        out += "\"\(name)\":"
        JSONWriter.appendString(text, to: &out)
    }

    private static func member(_ name: StaticString, _ number: Int?, _ out: inout String, first: inout Bool) {
        guard let number else { return }
        separator(&first, &out)
        out += "\"\(name)\":\(number)"
    }

    private static func extra(_ members: [String: JSONValue], _ out: inout String, first: inout Bool) {
        guard !members.isEmpty else { return }
        for key in members.keys.sorted() {
            separator(&first, &out)
            JSONWriter.appendString(key, to: &out)
            out += ":"
            value(members[key] ?? .null, &out)
        }
    }

    private static func value(_ value: JSONValue, _ out: inout String) {
        out += JSONWriter().string(value)
    }
}
