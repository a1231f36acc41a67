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

    /// The body to forward, with `vllm_xargs.aegis_payload` set to `payload` (other
    /// `vllm_xargs` members kept), or removed when `payload` is nil: only the gateway
    /// says which payload an answer carries, so no client can have its answers marked
    /// as another account's.
    ///
    /// `body` is what goes upstream (policy may have rewritten it: a max_tokens cap,
    /// logprobs removed), so that is what is parsed and changed; `clientRequest`, the
    /// client's body already parsed, only answers whether there is anything to remove,
    /// so the usual request (no payload to set, none to remove) costs no parse or copy.
    static func forwardedBody(_ body: [UInt8], clientRequest: JSONValue, payload: UInt32?) -> [UInt8] {
        let clientWroteOne = clientRequest["vllm_xargs"]?["aegis_payload"] != nil
        guard payload != nil || clientWroteOne else { return body }
        guard let value = JSONValue.parse(body), case .object = value else { return body }
        guard let payload else { return JSONWriter().bytes(withoutClientPayload(value)) }
        var arguments = value["vllm_xargs"] ?? .object(JSONObject())
        if case .object = arguments {} else { arguments = .object(JSONObject()) }
        return JSONWriter().bytes(value.setting("vllm_xargs", to: arguments.setting("aegis_payload", to: .number(Double(payload)))))
    }

    /// A request body without a client-supplied `vllm_xargs.aegis_payload` (itself when there is none).
    static func withoutClientPayload(_ body: JSONValue) -> JSONValue {
        guard let arguments = body["vllm_xargs"], arguments["aegis_payload"] != nil else { return body }
        return body.setting("vllm_xargs", to: arguments.removing("aegis_payload"))
    }
}
