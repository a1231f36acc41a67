import AegisCore
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

    @Option(name: .customLong("watermark-config"), help: """
        vllm-gumbel: the JSON given to `vllm serve --watermark-config`, e.g. '{"algorithm":"gumbel","key":42,"context_width":4}': \
        its key, context_width and deduplicate_contexts(_max_history) are used (then --key is not needed; --context overrides context_width).
        """)
    var watermarkConfig: String?

    @Option(name: .customLong("deduplicate-contexts"), help: """
        Detection: prf-input (default: each (context, token) input scored once) or context (vLLM's detector: each context \
        once, whatever token follows; reproduces vLLM's statistic and p-value).
        """)
    var deduplicateContexts: String?

    /// Sets the options that were given on `configuration`; the others keep their defaults.
    func apply(to configuration: inout WatermarkConfiguration) throws {
        if let watermarkConfig {
            guard configuration.scheme == .vllmGumbel else {
                throw InvalidInput("--watermark-config is vLLM's configuration; use it with --scheme vllm-gumbel")
            }
            try VLLMWatermarkConfig(json: watermarkConfig).apply(to: &configuration)
        }
        if let deduplicateContexts { configuration.deduplication = try Deduplication(parsing: deduplicateContexts) }
        if let gamma { configuration.gamma = gamma }
        if let delta { configuration.delta = delta }
        if let contextWidth { configuration.contextWidth = contextWidth }
        if let seeding { configuration.seeding = try SeedingScheme(parsing: seeding) }
        if let layers { configuration.layers = layers }
    }
}
