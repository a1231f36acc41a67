/// Verdicts as JSON in the contract's key order, without Foundation's encoder
/// (which reorders keys on Linux and is slow on tens of thousands of accounts).
extension Verdicts {
    /// The verdicts as a JSON value.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            (key: "accounts", value: .array(accounts.map(\.json))),
            (key: "campaigns", value: .array(campaigns.map(\.json))),
        ]
        if let calibration { members.append((key: "calibration", value: calibration.json)) }
        return .object(JSONObject(members))
    }

    /// The verdicts as JSON text; one account or campaign per line, so the file
    /// greps and diffs well.
    public func jsonText() -> String {
        var out: [UInt8] = []
        let writer = JSONWriter()
        out.append(contentsOf: "{\"accounts\": [".utf8)
        for (i, a) in accounts.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n  " : ",\n  ").utf8)
            writer.write(a.json, to: &out)
        }
        out.append(contentsOf: (accounts.isEmpty ? "],\n \"campaigns\": [" : "\n ],\n \"campaigns\": [").utf8)
        for (i, c) in campaigns.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n  " : ",\n  ").utf8)
            writer.write(c.json, to: &out)
        }
        out.append(contentsOf: (campaigns.isEmpty ? "]" : "\n ]").utf8)
        if let calibration {
            out.append(contentsOf: ",\n \"calibration\": ".utf8)
            writer.write(calibration.json, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}

extension AccountVerdict {
    /// The verdict as a JSON object; `campaign` is `null` when there is none.
    public var json: JSONValue {
        .object(JSONObject([
            (key: "account", value: .string(account)),
            (key: "flagged", value: .bool(flagged)),
            (key: "score", value: .number(rounded(score))),
            (key: "campaign", value: campaign.map { .string($0) } ?? .null),
            (key: "reasons", value: .array(reasons.map(\.json))),
        ] + (pValue.map { [(key: "p_value", value: .number($0))] } ?? [])
          + (streams.isEmpty ? [] : [(key: "streams", value: .array(streams.map(\.json)))])))
    }
}

extension StreamVerdict {
    /// The stream verdict as a JSON object.
    public var json: JSONValue {
        .object(JSONObject([
            (key: "stream", value: .string(stream)),
            (key: "requests", value: .number(Double(requests))),
            (key: "score", value: .number(rounded(score))),
            (key: "flagged", value: .bool(flagged)),
        ]))
    }
}

extension VerdictCalibration {
    /// The calibration statement as a JSON object (`target_fpr` is null for a fixed threshold).
    public var json: JSONValue {
        .object(JSONObject([
            (key: "target_fpr", value: targetFPR.map { .number($0) } ?? .null),
            (key: "threshold", value: .number(rounded(threshold))),
            (key: "benign_accounts", value: .number(Double(benignAccounts))),
            (key: "source", value: .string(source)),
        ]))
    }
}

extension AccountVerdict.Reason {
    /// The reason as a JSON object.
    public var json: JSONValue {
        .object(JSONObject([
            (key: "signal", value: .string(signal)),
            (key: "value", value: .number(rounded(value))),
            (key: "detail", value: .string(detail)),
        ]))
    }
}

extension Campaign {
    /// The campaign as a JSON object.
    public var json: JSONValue {
        .object(JSONObject([
            (key: "id", value: .string(id)),
            (key: "accounts", value: .array(accounts.map { .string($0) })),
            (key: "score", value: .number(rounded(score))),
            (key: "requests", value: .number(Double(requests))),
            (key: "first_seen", value: .string(ExchangeTime.format(firstSeen))),
            (key: "last_seen", value: .string(ExchangeTime.format(lastSeen))),
            (key: "signals", value: .array(signals.map { .string($0) })),
        ]))
    }
}

/// Four decimals are plenty for a score and keep the file readable.
private func rounded(_ x: Double) -> Double {
    (x * 10_000).rounded() / 10_000
}
