import Store

/// The config-file form of ``LiveDetectionSettings``: the keys of `aegis serve`'s
/// live-detection options; absent keys keep the defaults.
extension LiveDetectionSettings: Decodable {
    /// The config-file names.
    enum FileKey: String, CodingKey {
        case detection
        case throttleAt = "throttle-at", degradeAt = "degrade-at", blockAt = "block-at"
        case throttleRPM = "throttle-rpm", throttleTPM = "throttle-tpm", degradeMaxTokens = "degrade-max-tokens"
        case refresh = "detection-refresh", replayHours = "detection-replay-hours"
    }

    /// The defaults, with what the file sets (not yet validated: see ``validated()``).
    public init(from decoder: any Decoder) throws {
        self.init()
        let file = try decoder.container(keyedBy: FileKey.self)
        if let name = try file.decodeIfPresent(String.self, forKey: .detection) {
            guard let mode = Mode(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .detection, in: file,
                                                       debugDescription: "must be off, dry-run or enforce (got '\(name)')")
            }
            self.mode = mode
        }
        throttleAt = try file.decodeIfPresent(Double.self, forKey: .throttleAt) ?? throttleAt
        degradeAt = try file.decodeIfPresent(Double.self, forKey: .degradeAt) ?? degradeAt
        blockAt = try file.decodeIfPresent(Double.self, forKey: .blockAt) ?? blockAt
        throttleLimits = RateLimits(
            requestsPerMinute: try file.decodeIfPresent(Int.self, forKey: .throttleRPM) ?? throttleLimits.requestsPerMinute,
            tokensPerMinute: try file.decodeIfPresent(Int.self, forKey: .throttleTPM) ?? throttleLimits.tokensPerMinute,
            concurrency: throttleLimits.concurrency)
        degradeMaxTokens = try file.decodeIfPresent(Int.self, forKey: .degradeMaxTokens) ?? degradeMaxTokens
        if let seconds = try file.decodeIfPresent(Double.self, forKey: .refresh) { refreshSeconds = seconds }
        if let hours = try file.decodeIfPresent(Double.self, forKey: .replayHours) { replaySeconds = hours * 3600 }
    }

    /// ``refreshInterval`` in seconds (the unit of the flag and the file).
    public var refreshSeconds: Double {
        get { Double(refreshInterval.components.seconds) + Double(refreshInterval.components.attoseconds) / 1e18 }
        set { refreshInterval = .milliseconds(Int64((newValue * 1000).rounded())) }
    }
}
