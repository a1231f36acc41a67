import AegisCore

/// How the account's watermark payload reaches a model server that marks its
/// own answers with `python/aegis_watermark` (docs/watermark.md, "Payload from
/// the gateway"). Only the payload travels, never the key: the processor holds
/// the key in its own configuration.
public struct PayloadForwarding: Sendable, Equatable {
    /// The header every forwarded request carries: the payload as a decimal number.
    public static let header = "X-Aegis-Payload"

    /// Payload width (``Watermark/AccountPayload``'s rule, the same as the built-in engine's).
    public var bits: Int
    /// Also put it in the body as `vllm_xargs.aegis_payload`, which vLLM hands to
    /// logits processors as `SamplingParams.extra_args` (vLLM does not pass headers on).
    public var inBody: Bool
    /// The scheme the operator says the processor uses, for the log.
    public var scheme: String

    /// Creates a setting.
    public init(bits: Int, inBody: Bool, scheme: String) {
        self.bits = bits
        self.inBody = inBody
        self.scheme = scheme
    }

    /// The body without a client-supplied `vllm_xargs.aegis_payload`: only the gateway
    /// says which payload an answer carries, so no client can have its answers marked
    /// as another account's. Unchanged (no copy) when the field is absent.
    static func removingClientPayload(from body: [UInt8], parsed: JSONValue) -> [UInt8] {
        guard let arguments = parsed["vllm_xargs"], arguments["aegis_payload"] != nil else { return body }
        let changed = parsed.setting("vllm_xargs", to: arguments.removing("aegis_payload"))
        var out: [UInt8] = []
        JSONWriter().write(changed, to: &out)
        return out
    }

    /// The body with `vllm_xargs.aegis_payload` set (other `vllm_xargs` members kept);
    /// a body that is not an object is returned unchanged.
    static func addingVLLMArgument(_ payload: UInt32, to body: [UInt8]) -> [UInt8] {
        guard let value = JSONValue.parse(body), case .object = value else { return body }
        var arguments = value["vllm_xargs"] ?? .object(JSONObject())
        if case .object = arguments {} else { arguments = .object(JSONObject()) }
        let changed = value.setting("vllm_xargs", to: arguments.setting("aegis_payload", to: .number(Double(payload))))
        var out: [UInt8] = []
        JSONWriter().write(changed, to: &out)
        return out
    }
}
