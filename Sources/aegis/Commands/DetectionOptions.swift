import AegisCore
import ArgumentParser
import Gateway
import Store

/// `aegis serve`'s live-detection flags (also config-file keys of the same names).
struct DetectionOptions: ParsableArguments {
    @Option(help: """
        Live campaign detection: off, dry-run (score and record decisions, apply none: see them with \
        `aegis accounts show NAME`), or enforce. [default: dry-run]
        """)
    var detection: String?
    @Option(name: .customLong("throttle-at"), help: "Detector score (0-1) from which an account is throttled. [default: 0.6]")
    var throttleAt: Double?
    @Option(name: .customLong("degrade-at"),
            help: "Score from which answers are degraded: max_tokens capped, logprobs, reasoning and n > 1 withheld. [default: 0.75]")
    var degradeAt: Double?
    @Option(name: .customLong("block-at"), help: "Score from which the account is refused with 403. [default: 0.9]")
    var blockAt: Double?
    @Option(name: .customLong("throttle-rpm"), help: "Requests per minute of a throttled account. [default: 10]")
    var throttleRPM: Int?
    @Option(name: .customLong("throttle-tpm"), help: "Tokens per minute of a throttled account. [default: 5000]")
    var throttleTPM: Int?
    @Option(name: .customLong("degrade-max-tokens"), help: "max_tokens of a degraded answer. [default: 64]")
    var degradeMaxTokens: Int?
    @Option(name: .customLong("detection-refresh"), help: "Seconds between re-clusterings of accounts into campaigns. [default: 5]")
    var refresh: Double?
    @Option(name: .customLong("detection-replay-hours"),
            help: "Hours of the exchange log replayed into the detector at start, so a restart does not forget. [default: 24]")
    var replayHours: Double?

    /// The settings, from the flags, else the config file, else the defaults.
    func settings(file: ConfigFile) throws -> LiveDetectionSettings {
        var settings = LiveDetectionSettings()
        let modeName = detection ?? file.string("detection") ?? settings.mode.rawValue
        guard let mode = LiveDetectionSettings.Mode(rawValue: modeName) else {
            throw InvalidInput("--detection must be off, dry-run or enforce (got '\(modeName)')")
        }
        settings.mode = mode
        settings.throttleAt = throttleAt ?? file.double("throttle-at") ?? settings.throttleAt
        settings.degradeAt = degradeAt ?? file.double("degrade-at") ?? settings.degradeAt
        settings.blockAt = blockAt ?? file.double("block-at") ?? settings.blockAt
        let limits = settings.throttleLimits
        settings.throttleLimits = RateLimits(
            requestsPerMinute: throttleRPM ?? file.int("throttle-rpm") ?? limits.requestsPerMinute,
            tokensPerMinute: throttleTPM ?? file.int("throttle-tpm") ?? limits.tokensPerMinute,
            concurrency: limits.concurrency)
        settings.degradeMaxTokens = degradeMaxTokens ?? file.int("degrade-max-tokens") ?? settings.degradeMaxTokens
        let refreshSeconds = refresh ?? file.double("detection-refresh") ?? 5
        guard refreshSeconds > 0 else { throw InvalidInput("--detection-refresh must be a positive number of seconds") }
        settings.refreshInterval = .milliseconds(Int64(refreshSeconds * 1000))
        settings.replaySeconds = (replayHours ?? file.double("detection-replay-hours") ?? 24) * 3600
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
