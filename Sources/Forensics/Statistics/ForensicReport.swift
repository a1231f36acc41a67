/// The result of a forensic test: the `--json` object of `aegis forensics read|probe|attribute`.
public struct ForensicReport: Codable, Sendable, Equatable {
    /// The mode: "reading" (open model) or "probe" (closed model).
    public var mode: String
    /// The scheme tested.
    public var scheme: String
    /// The test, named.
    public var test: String
    /// The null hypothesis, in words.
    public var nullHypothesis: String
    /// How several payloads were combined into `pValue`, when more than one was tested.
    public var correction: String?
    /// The test statistic of the reported payload (green count, Σ −log(1−r), or g count).
    public var statistic: Double
    /// The statistic per trial (KGW green fraction, Gumbel mean, SynthID mean g); H0 expects `nullMean`.
    public var score: Double
    /// The per-trial expectation under H0.
    public var nullMean: Double
    /// Distinct (PRF seed, token) inputs scored.
    public var tuplesScored: Int
    /// Tuples offered that repeated a scored input.
    public var duplicatesSkipped: Int
    /// Tuples offered whose input was excluded (prompt windows, or the read text's own tuples).
    public var excludedSkipped: Int
    /// The exact p-value of the whole test (corrected for the payloads tried).
    public var pValue: Double
    /// The payload with the smallest p-value, when payloads were tested.
    public var payload: UInt32?
    /// Number of payload values tested (1 when none).
    public var payloadsTested: Int
    /// The payload attribution, when payloads were tested.
    public var payloads: [PayloadResult]?
    /// Accounts whose payload is significant after the correction; empty when none.
    public var accountsNamed: [String]?
    /// The family-wise error rate at which accounts are named.
    public var alpha: Double?

    enum CodingKeys: String, CodingKey {
        case mode, scheme, test, correction, statistic, score, payload, payloads, alpha
        case nullHypothesis = "null_hypothesis"
        case nullMean = "null_mean"
        case tuplesScored = "tuples_scored"
        case duplicatesSkipped = "duplicates_skipped"
        case excludedSkipped = "excluded_skipped"
        case pValue = "p_value"
        case payloadsTested = "payloads_tested"
        case accountsNamed = "accounts_named"
    }

    /// The one-sentence result.
    public var sentence: String {
        let p = Self.format(pValue)
        var text: String
        if let alpha, pValue <= alpha {
            text = "The suspect carries our watermark: p = \(p) (\(test); \(tuplesScored) distinct tuples"
        } else {
            text = "No evidence that the suspect learned from our watermarked answers: p = \(p) (\(test); \(tuplesScored) distinct tuples"
        }
        if payloadsTested > 1, let correction { text += ", \(payloadsTested) payloads, \(correction)" }
        text += ")"
        if let accountsNamed {
            text += accountsNamed.isEmpty ? "; no account is named." : "; leaking accounts: \(accountsNamed.joined(separator: ", "))."
        } else {
            text += "."
        }
        return text
    }

    /// A p-value with three significant digits.
    static func format(_ p: Double) -> String {
        if p == 0 { return "< 1e-300" }
        if p >= 0.001 { return String(Double((p * 1000).rounded()) / 1000) }
        let exponent = Int((log10(p)).rounded(.down))
        let mantissa = (p / pow(10, Double(exponent)) * 100).rounded() / 100
        return "\(mantissa)e\(exponent)"
    }
}

/// One payload's test in the attribution.
public struct PayloadResult: Codable, Sendable, Equatable {
    /// The payload value (the PRF shift).
    public var payload: UInt32
    /// The accounts that were served with this payload.
    public var accounts: [String]
    /// The statistic of the test for this payload.
    public var statistic: Double
    /// Its exact p-value, uncorrected.
    public var pValue: Double
    /// Its Holm-adjusted p-value over every payload tested.
    public var adjustedPValue: Double
    /// Whether `adjustedPValue` ≤ α.
    public var significant: Bool

    enum CodingKeys: String, CodingKey {
        case payload, accounts, statistic, significant
        case pValue = "p_value"
        case adjustedPValue = "holm_adjusted_p_value"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
