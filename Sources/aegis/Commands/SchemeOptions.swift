import ArgumentParser
import Watermark

/// The watermark scheme's tuning flags, shared by `aegis generate` and `aegis detect`
/// so that both sides of the mark read the same flags with the same defaults.
struct SchemeOptions: ParsableArguments {
    @Option(help: "KGW: green-list fraction γ (default 0.25).")
    var gamma: Double?

    @Option(help: "KGW: logit bonus δ (default 3.0; detection does not need it).")
    var delta: Double?

    @Option(name: .customLong("context"), help: "Context width h: preceding tokens that seed the PRF (default 4).")
    var contextWidth: Int?

    @Option(help: "KGW seeding: lefthash or selfhash (default lefthash; selfhash p-values are not valid per key, see docs/watermark.md).")
    var seeding: String?

    @Option(help: "SynthID: tournament layers m (default 30).")
    var layers: Int?

    /// Sets the options that were given on `configuration`; the others keep their defaults.
    func apply(to configuration: inout WatermarkConfiguration) throws {
        if let gamma { configuration.gamma = gamma }
        if let delta { configuration.delta = delta }
        if let contextWidth { configuration.contextWidth = contextWidth }
        if let seeding { configuration.seeding = try SeedingScheme(parsing: seeding) }
        if let layers { configuration.layers = layers }
    }
}
