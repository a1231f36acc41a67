import AegisCore
import Foundation
import Watermark

/// vLLM's `--watermark-config` JSON (vllm/config/watermarking.py, `WatermarkConfig`), read so
/// that a provider passes Aegis the very string it gives `vllm serve`. Only the fields of
/// the `gumbel` algorithm matter; the others are ignored.
struct VLLMWatermarkConfig: Decodable {
    /// vLLM's secret key, 0 … 2⁶⁴ − 1.
    var key: UInt64
    /// "gumbel" (vLLM's default); Aegis implements no other vLLM algorithm.
    var algorithm: String?
    /// Prior output tokens that seed the PRF (vLLM's default 4 for gumbel).
    var context_width: Int?
    /// "philox", the only PRF vLLM's gumbel generation supports.
    var prf: String?
    /// Generation-side context deduplication: "none", "single_turn" (default) or "all".
    var deduplicate_contexts: String?
    /// Positions searched by it (default 8192; null: all). Distinguishes absent from null.
    var deduplicate_contexts_max_history: HistoryLimit?

    /// `deduplicate_contexts_max_history`, which vLLM allows to be null.
    enum HistoryLimit: Decodable {
        case unlimited
        case positions(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            self = container.decodeNil() ? .unlimited : .positions(try container.decode(Int.self))
        }
    }

    /// Parses the JSON text; a wrong or unsupported field is an `InvalidInput` that names it.
    init(json text: String) throws {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(text.utf8))
        } catch {
            throw InvalidInput("--watermark-config is not vLLM's watermark JSON with an integer \"key\" between 0 and 18446744073709551615 (e.g. '{\"algorithm\":\"gumbel\",\"key\":42}'); check its syntax and types")
        }
        if let algorithm, algorithm != "gumbel" {
            throw InvalidInput("--watermark-config has algorithm \"\(algorithm)\"; Aegis implements vLLM's \"gumbel\" only (dual_key_gumbel and sbw are not supported)")
        }
        if let prf, prf != "philox" {
            throw InvalidInput("--watermark-config has prf \"\(prf)\"; vLLM's gumbel watermark uses \"philox\", the only PRF Aegis matches")
        }
        if let deduplicate_contexts, !["none", "single_turn", "all"].contains(deduplicate_contexts) {
            throw InvalidInput("--watermark-config has deduplicate_contexts \"\(deduplicate_contexts)\"; vLLM takes none, single_turn or all")
        }
    }

    /// Sets the key, context width and generation-side deduplication on `configuration`.
    func apply(to configuration: inout WatermarkConfiguration) {
        configuration.key = WatermarkKey(vllmKey: key)
        configuration.contextWidth = context_width ?? 4
        switch (deduplicate_contexts, deduplicate_contexts_max_history) {
        case ("none", _): configuration.deduplicateContextsMaxHistory = 0
        case (_, .unlimited?): configuration.deduplicateContextsMaxHistory = nil
        case (_, .positions(let limit)?): configuration.deduplicateContextsMaxHistory = limit
        case (_, nil): configuration.deduplicateContextsMaxHistory = 8192
        }
    }
}
