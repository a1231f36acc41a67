import AegisCore
import Crypto
import Dispatch
import Foundation
import Inference
import NIOCore
import Synchronization
import Watermark

/// The built-in engine as an upstream: generates in process with the
/// Inference target and, by default, watermarks every answer.
///
/// The watermark uses the server's key and a payload derived from the account
/// (the first `payloadBits` bits of SHA-256 of its name), so a leaked answer
/// names the account it was served to. Generations run one at a time on a
/// dedicated queue (each uses all the engine's threads); tokens stream out as
/// they are drawn.
public final class EngineUpstream: Upstream {
    private let model: LanguageModel
    private let tokenizer: Tokenizer
    private let template: ChatTemplate
    private let modelID: String
    private let watermark: WatermarkConfiguration?
    private let threads: Int?
    private let defaultMaxTokens: Int
    private let queue = DispatchQueue(label: "aegis.engine")

    /// Loads a GGUF model.
    /// - Parameters:
    ///   - modelID: the id clients ask for (GET /v1/models lists it).
    ///   - watermark: the scheme and server key; nil serves unmarked text. Its payload is replaced per account.
    public init(path: String, modelID: String, watermark: WatermarkConfiguration?, threads: Int? = nil,
                defaultMaxTokens: Int = 256) throws {
        let gguf = try GGUFFile(path: path)
        model = try LanguageModel(gguf: gguf)
        tokenizer = try Tokenizer(gguf: gguf)
        template = try ChatTemplate(gguf: gguf)
        self.modelID = modelID
        self.watermark = watermark
        self.threads = threads
        self.defaultMaxTokens = defaultMaxTokens
    }

    public func models() async throws -> [String] { [modelID] }

    /// The payload embedded for an account.
    public static func payload(account: String, bits: Int) -> UInt32 {
        let digest = Array(SHA256.hash(data: Array(account.utf8)))
        let value = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        return bits >= 32 ? value : value & ((1 << UInt32(bits)) - 1)
    }

    public func send(_ upstreamRequest: UpstreamRequest) async throws -> UpstreamReply {
        let request = upstreamRequest.request
        // The body as forwarded: policy may have capped max_tokens or forced n = 1.
        let body = JSON.parse(upstreamRequest.body) ?? request.body
        guard (body["n"]?.int ?? 1) == 1 else {
            throw GatewayError.badRequest("the built-in engine answers n = 1 only", param: "n")
        }
        let text: String
        switch request.endpoint {
        case .chatCompletions:
            let messages = (body["messages"]?.array ?? []).map { message in
                ChatMessage(role: message["role"]?.string ?? "user", content: Self.text(of: message["content"]))
            }
            text = template.render(messages)
        case .completions:
            text = body["prompt"]?.string ?? body["prompt"]?.array?.first?.string ?? ""
        }
        var prompt = tokenizer.encode(text, parseSpecialTokens: request.endpoint == .chatCompletions)
        if tokenizer.addsBOSToken, let bos = tokenizer.bosToken, prompt.first != bos { prompt.insert(bos, at: 0) }
        let contextLength = model.configuration.contextLength
        guard !prompt.isEmpty, prompt.count < contextLength else {
            throw GatewayError.badRequest("the prompt has \(prompt.count) tokens; the model takes at most \(contextLength - 1)",
                                          param: request.endpoint == .chatCompletions ? "messages" : "prompt")
        }
        let maxTokens = min(body["max_tokens"]?.int ?? request.maxTokens ?? defaultMaxTokens, contextLength - prompt.count)
        let sampling = SamplerConfiguration(
            temperature: Float(body["temperature"]?.double ?? 0.8), topP: Float(body["top_p"]?.double ?? 0.95),
            seed: body["seed"]?.int.map { UInt64(truncatingIfNeeded: $0) } ?? UInt64.random(in: .min ... .max))
        var chooser: WatermarkSampler?
        if var configuration = watermark {
            configuration.payload = Self.payload(account: upstreamRequest.account, bits: configuration.payloadBits)
            chooser = WatermarkSampler(configuration: configuration)
        }
        let watermarkChooser = chooser
        let formatter = CompletionFormatter(model: request.model, endpoint: request.endpoint)

        let (chunks, continuation) = AsyncThrowingStream<ByteBuffer, Error>.makeStream()
        let cancelled = CancelFlag()
        continuation.onTermination = { _ in cancelled.value.store(true, ordering: .relaxed) }
        let stream = request.stream
        let (model, tokenizer, threads) = (self.model, self.tokenizer, self.threads)
        let promptTokens = prompt
        queue.async {
            let sampler = Sampler(configuration: sampling, chooser: watermarkChooser)
            let session = InferenceSession(model: model, contextLength: min(contextLength, promptTokens.count + maxTokens),
                                           threadCount: threads)
            var decoder = StreamingDecoder(tokenizer: tokenizer, skippingControlTokens: true)
            do {
                let completion = try session.generate(prompt: promptTokens, maxTokens: maxTokens, sampler: sampler,
                                                      stopTokens: tokenizer.stopTokens) { token in
                    if stream {
                        let piece = decoder.append(token)
                        if !piece.isEmpty { continuation.yield(formatter.chunk(piece)) }
                    }
                    return !cancelled.value.load(ordering: .relaxed)
                }
                let finish = completion.stopReason == .stopToken ? "stop" : "length"
                let usage = Usage(promptTokens: completion.promptTokens, completionTokens: completion.tokens.count)
                if stream {
                    continuation.yield(formatter.chunk(decoder.finish(), finishReason: finish))
                    continuation.yield(formatter.usageChunk(usage))
                    continuation.yield(CompletionFormatter.done)
                } else {
                    let text = tokenizer.decode(completion.tokens, skippingControlTokens: true)
                    continuation.yield(formatter.completion(choices: [(text, finish)], usage: usage))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: GatewayError.upstreamFailed("the built-in engine failed: \(error)"))
            }
        }
        if stream { return .stream(UpstreamBody(chunks)) }
        var whole = ByteBuffer()
        for try await chunk in chunks { whole.writeImmutableBuffer(chunk) }
        return .complete(status: 200, body: whole)
    }

    /// A message's text: a string, or the text parts of a content array.
    private static func text(of content: JSON?) -> String {
        if let text = content?.string { return text }
        return (content?.array ?? []).compactMap { $0["text"]?.string }.joined(separator: "\n")
    }
}

private final class CancelFlag: Sendable {
    let value = Atomic<Bool>(false)
}
