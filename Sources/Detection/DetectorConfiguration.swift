import Foundation

/// Thresholds, weights and keys of a ``CampaignDetector``.
public struct DetectorConfiguration: Sendable {
    /// Keys the sketches so outsiders cannot aim prompts at buckets; keep it secret in production.
    public var hasher: KeyedHash = .unkeyed
    /// An account (or campaign) with a score at or above this is flagged.
    public var flagThreshold = 0.6
    /// Two accounts join one cluster when their shared keys' weights sum to at least this.
    public var joinThreshold = 0.6
    /// Requests after which an account's counters are halved: the sliding window.
    public var window: UInt32 = 20_000
    /// Weight overrides; signals not listed use ``Signal/defaultWeight``.
    public var weights: [Signal: Double] = [:]
    /// Known model release times. Models not listed count as released when first
    /// seen, if that is at least ``releaseInferenceDelay`` after the first exchange.
    public var modelReleases: [String: Date] = [:]
    /// See ``modelReleases``.
    public var releaseInferenceDelay: Double = 6 * 3600
    /// Reasons attached to each verdict.
    public var reasonsPerVerdict = 4

    /// The defaults (documented in docs/detection.md).
    public init() {}

    func weight(_ signal: Signal) -> Double {
        weights[signal] ?? signal.defaultWeight
    }

    var allWeights: [Signal: Double] {
        var w: [Signal: Double] = [:]
        for s in Signal.allCases { w[s] = weight(s) }
        return w
    }
}
