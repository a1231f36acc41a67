import AegisCore
import Detection
import Store

/// How the gateway acts on the live detector's scores (`aegis serve --detection …`).
///
/// An account's score is the detector's verdict score: its own signals, or its
/// campaign's score when it belongs to a flagged campaign, whichever is higher.
/// The thresholds map that score onto the mildest action that fits.
public struct LiveDetectionSettings: Sendable {
    /// Whether detection runs, and whether its decisions are applied.
    public enum Mode: String, Sendable, CaseIterable {
        /// No live detection.
        case off
        /// Score and record decisions (`aegis accounts show`), apply none: for tuning thresholds on real traffic.
        case dryRun = "dry-run"
        /// Score, record and apply.
        case enforce
    }

    /// The mode; dry run by default, so that a new deployment watches before it acts.
    public var mode = Mode.dryRun
    /// Score from which an account is throttled to ``throttleLimits``.
    public var throttleAt = 0.6
    /// Score from which answers are degraded: max_tokens capped, logprobs, reasoning and extra samples withheld.
    public var degradeAt = 0.75
    /// Score from which the account is refused (403).
    public var blockAt = 0.9
    /// Limits of a throttled account (kept when degraded).
    public var throttleLimits = RateLimits(requestsPerMinute: 10, tokensPerMinute: 5_000, concurrency: 1)
    /// max_tokens of a degraded answer.
    public var degradeMaxTokens = 64
    /// How often new exchanges are fed to the detector (and touched accounts re-scored).
    public var drainInterval: Duration = .milliseconds(100)
    /// How often accounts are re-clustered into campaigns.
    public var refreshInterval: Duration = .seconds(5)
    /// How far back the exchange log is replayed at start, in seconds (0: start empty).
    public var replaySeconds: Double = 24 * 3600
    /// Exchanges waiting for the detector beyond which the oldest are dropped (and counted).
    public var maxBacklog = 200_000
    /// The detector's own settings (weights, keys, flag threshold).
    public var detector = DetectorConfiguration()

    /// The defaults.
    public init() {}

    /// Checks the thresholds; the message says what to change.
    public func validated() throws(InvalidInput) -> LiveDetectionSettings {
        guard (0...1).contains(throttleAt), (0...1).contains(degradeAt), (0...1).contains(blockAt) else {
            throw InvalidInput("detection thresholds must be between 0 and 1")
        }
        guard throttleAt <= degradeAt, degradeAt <= blockAt else {
            throw InvalidInput("detection thresholds must satisfy throttle ≤ degrade ≤ block (got \(throttleAt), \(degradeAt), \(blockAt))")
        }
        guard degradeMaxTokens > 0, maxBacklog > 0, replaySeconds >= 0 else {
            throw InvalidInput("degrade max tokens and the backlog must be positive, the replay window non-negative")
        }
        return self
    }

    /// The action for a score.
    func action(for score: Double) -> PolicyDecision.Action {
        if score >= blockAt { return .block }
        if score >= degradeAt { return .degrade }
        if score >= throttleAt { return .throttle }
        return .allow
    }
}
