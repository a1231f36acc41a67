import AegisCore
import ArgumentParser
import Gateway
import Store

/// `aegis serve`'s live-detection flags (also config-file keys of the same names).
struct DetectionOptions: ParsableArguments {
    /// The defaults `--help` shows: the settings' own.
    static let defaults = LiveDetectionSettings()

    @Option(help: """
        Live campaign detection: off, dry-run (score and record decisions, apply none: see them with \
        `aegis accounts show NAME`), or enforce. [default: \(Self.defaults.mode.rawValue)]
        """)
    var detection: String?
    @Option(name: .customLong("throttle-at"), help: "Detector score (0-1) from which an account is throttled. [default: \(Self.defaults.throttleAt)]")
    var throttleAt: Double?
    @Option(name: .customLong("degrade-at"),
            help: "Score from which answers are degraded: max_tokens capped, logprobs, reasoning and n > 1 withheld. [default: \(Self.defaults.degradeAt)]")
    var degradeAt: Double?
    @Option(name: .customLong("block-at"), help: "Score from which the account is refused with 403. [default: \(Self.defaults.blockAt)]")
    var blockAt: Double?
    @Option(name: .customLong("throttle-rpm"), help: "Requests per minute of a throttled account. [default: \(Self.defaults.throttleLimits.requestsPerMinute ?? 0)]")
    var throttleRPM: Int?
    @Option(name: .customLong("throttle-tpm"), help: "Tokens per minute of a throttled account. [default: \(Self.defaults.throttleLimits.tokensPerMinute ?? 0)]")
    var throttleTPM: Int?
    @Option(name: .customLong("degrade-max-tokens"), help: "max_tokens of a degraded answer. [default: \(Self.defaults.degradeMaxTokens)]")
    var degradeMaxTokens: Int?
    @Option(name: .customLong("detection-refresh"), help: "Seconds between re-clusterings of accounts into campaigns. [default: \(Self.defaults.refreshSeconds.helpText)]")
    var refresh: Double?
    @Option(name: .customLong("detection-replay-hours"),
            help: "Hours of the exchange log replayed into the detector at start, so a restart does not forget. [default: \((Self.defaults.replaySeconds / 3600).helpText)]")
    var replayHours: Double?

    /// The settings: the defaults of ``LiveDetectionSettings``, then the config file, then the flags.
    func settings(file: ConfigFile) throws -> LiveDetectionSettings {
        var settings: LiveDetectionSettings = try file.decode()
        if let detection {
            guard let mode = LiveDetectionSettings.Mode(rawValue: detection) else {
                throw InvalidInput("--detection must be off, dry-run or enforce (got '\(detection)')")
            }
            settings.mode = mode
        }
        if let throttleAt { settings.throttleAt = throttleAt }
        if let degradeAt { settings.degradeAt = degradeAt }
        if let blockAt { settings.blockAt = blockAt }
        if let throttleRPM { settings.throttleLimits.requestsPerMinute = throttleRPM }
        if let throttleTPM { settings.throttleLimits.tokensPerMinute = throttleTPM }
        if let degradeMaxTokens { settings.degradeMaxTokens = degradeMaxTokens }
        if let refresh { settings.refreshSeconds = refresh }
        if let replayHours { settings.replaySeconds = replayHours * 3600 }
        guard settings.refreshSeconds > 0 else { throw InvalidInput("--detection-refresh must be a positive number of seconds") }
        return try settings.validated()
    }
}

extension LiveDetectionSettings {
    /// One line for the start-up banner.
    var summary: String {
        switch mode {
        case .off: "live detection off"
        case .dryRun, .enforce:
            "live detection \(mode.rawValue): throttle at \(throttleAt), degrade at \(degradeAt), block at \(blockAt)"
        }
    }
}
