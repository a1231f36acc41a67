import Gateway
import Watermark

/// The settings of `aegis serve` that belong to the command rather than to the
/// gateway library: where completions come from, where state is kept, and the
/// built-in engine's watermark.
///
/// Like ``GatewayConfiguration`` and the live-detection settings they decode
/// from the config file (keys are the long option names), their defaults live
/// here, and flags only override; `--help` shows these defaults.
struct ServeSettings: Decodable, Equatable {
    /// SQLite database file.
    var db = "aegis.db"
    /// Key-hash secret file; nil: the database path plus `.secret`.
    var secretFile: String?
    /// The model server's OpenAI-compatible base URL.
    var upstream: String?
    /// Bearer key the upstream expects.
    var upstreamKey: String?
    /// A GGUF file served by the built-in engine instead of an upstream.
    var model: String?
    /// The model id clients ask for; nil: the file name without `.gguf`.
    var modelID: String?
    /// Watermark scheme ("kgw", "gumbel", "synthid", or "none") of the built-in engine or of
    /// draft selection; nil: ``defaultWatermark`` for the engine, nothing for an upstream.
    var watermark: String?
    /// The watermark key, 64 hex digits.
    var watermarkKey: String?
    /// Bits of the account-derived payload in every answer.
    var payloadBits = AccountPayload.defaultBits
    /// Generation threads; nil: all cores.
    var threads: Int?
    /// Draft selection in front of an upstream: candidates per answer or segment.
    var selectCandidates: Int?
    /// Draft selection: tokens per segment; nil: whole answers.
    var selectSegment: Int?
    /// Draft selection: how the K samples are asked for ("auto", "n", "seeds").
    var selectSampling = DraftSelection.Sampling.auto.rawValue
    /// The served model's GGUF, for its tokenizer (and chat template) under draft selection.
    var tokenizer: String?
    /// The scheme of the upstream's own processor (`python/aegis_watermark`), when it marks its answers.
    var upstreamWatermark: String?
    /// How the payload reaches that processor: "header" or "vllm" (the header and `vllm_xargs`).
    var payloadVia = "header"

    /// The engine's scheme when none is named.
    static let defaultWatermark = "kgw"

    /// The config-file names (the long options).
    enum CodingKeys: String, CodingKey {
        case db, secretFile = "secret-file", upstream, upstreamKey = "upstream-key", model, modelID = "model-id"
        case watermark, watermarkKey = "watermark-key", payloadBits = "payload-bits", threads
        case selectCandidates = "select-candidates", selectSegment = "select-segment", selectSampling = "select-sampling"
        case tokenizer, upstreamWatermark = "upstream-watermark", payloadVia = "payload-via"
    }

    /// The defaults.
    init() {}

    /// The defaults, with what the file sets.
    init(from decoder: any Decoder) throws {
        let file = try decoder.container(keyedBy: CodingKeys.self)
        db = try file.decodeIfPresent(String.self, forKey: .db) ?? db
        secretFile = try file.decodeIfPresent(String.self, forKey: .secretFile)
        upstream = try file.decodeIfPresent(String.self, forKey: .upstream)
        upstreamKey = try file.decodeIfPresent(String.self, forKey: .upstreamKey)
        model = try file.decodeIfPresent(String.self, forKey: .model)
        modelID = try file.decodeIfPresent(String.self, forKey: .modelID)
        watermark = try file.decodeIfPresent(String.self, forKey: .watermark)
        watermarkKey = try file.decodeIfPresent(String.self, forKey: .watermarkKey)
        payloadBits = try file.decodeIfPresent(Int.self, forKey: .payloadBits) ?? payloadBits
        threads = try file.decodeIfPresent(Int.self, forKey: .threads)
        selectCandidates = try file.decodeIfPresent(Int.self, forKey: .selectCandidates)
        selectSegment = try file.decodeIfPresent(Int.self, forKey: .selectSegment)
        selectSampling = try file.decodeIfPresent(String.self, forKey: .selectSampling) ?? selectSampling
        tokenizer = try file.decodeIfPresent(String.self, forKey: .tokenizer)
        upstreamWatermark = try file.decodeIfPresent(String.self, forKey: .upstreamWatermark)
        payloadVia = try file.decodeIfPresent(String.self, forKey: .payloadVia) ?? payloadVia
    }
}
