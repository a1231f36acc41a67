import AegisCore
import Dispatch
import Foundation
import Inference
import NIOCore
import Synchronization
import Watermark

/// The built-in engine as an upstream: generates in process with the
/// Inference target and, by default, watermarks every answer.
///
/// Generation is Inference's ``TextGenerator`` (the chain `aegis generate` uses).
/// The watermark uses the server's key and a payload derived from the account
/// (``AccountPayload``: the first `payloadBits` bits of SHA-256 of its name), so a leaked answer
/// names the account it was served to. Generations run one at a time on a
/// dedicated queue (each uses all the engine's threads); tokens stream out as
/// they are drawn.
public final class EngineUpstream: Upstream {
    private let generator: TextGenerator
    private let modelID: String
    private let watermark: WatermarkConfiguration?
    private let defaultMaxTokens: Int
    private let queue = DispatchQueue(label: "aegis.engine")

    /// Loads a GGUF model.
    /// - Parameters:
    ///   - modelID: the id clients ask for (GET /v1/models lists it).
    ///   - watermark: the scheme and server key; nil serves unmarked text. Its payload is replaced per account.
    public init(path: String, modelID: String, watermark: WatermarkConfiguration?, threads: Int? = nil,
                defaultMaxTokens: Int = 256) throws {
        generator = try TextGenerator(path: path, threads: threads)
        _ = try generator.template()  // chat requests need it: refuse a model without one at start, not per request
        self.modelID = modelID
        self.watermark = watermark
        self.defaultMaxTokens = defaultMaxTokens
    }

    public func models() async throws -> [String] { [modelID] }

    public func send(_ upstreamRequest: UpstreamRequest) async throws -> UpstreamReply {
        let request = upstreamRequest.request
        // The body as forwarded: policy may have capped max_tokens or forced n = 1.
        let body = JSONValue.parse(upstreamRequest.body) ?? request.body
        guard (body["n"]?.intValue ?? 1) == 1 else {
            throw GatewayError.badRequest("the built-in engine answers n = 1 only", param: "n")
        }
        let prompt: TextGenerator.Prompt
        switch request.endpoint {
        case .chatCompletions:
            let messages = (body["messages"]?.arrayValue ?? []).map(ChatMessage.init(openAI:))
            prompt = .chat(messages)
        case .completions:
            prompt = .text(body["prompt"]?.stringValue ?? body["prompt"]?.arrayValue?.first?.stringValue ?? "", parseSpecialTokens: false)
        }
        let promptTokens: [TokenID]
        do {
            promptTokens = try generator.tokens(for: prompt)
        } catch InferenceError.contextOverflow(let needed, let available) {
            throw GatewayError.badRequest("the prompt has \(needed - 1) tokens; the model takes at most \(available - 1)",
                                          param: request.endpoint == .chatCompletions ? "messages" : "prompt")
        } catch {
            throw GatewayError.badRequest("the built-in engine cannot take this prompt: \(error)",
                                          param: request.endpoint == .chatCompletions ? "messages" : "prompt")
        }
        let maxTokens = body["max_tokens"]?.intValue ?? request.maxTokens ?? defaultMaxTokens
        let sampling = SamplerConfiguration(
            temperature: Float(body["temperature"]?.doubleValue ?? 0.8), topP: Float(body["top_p"]?.doubleValue ?? 0.95),
            seed: body["seed"]?.intValue.map { UInt64(truncatingIfNeeded: $0) } ?? UInt64.random(in: .min ... .max))
        var chooser: WatermarkSampler?
        if var configuration = watermark {
            configuration.payload = AccountPayload.payload(account: upstreamRequest.account, bits: configuration.payloadBits)
            chooser = WatermarkSampler(configuration: configuration)
        }
        let watermarkChooser = chooser
        upstreamRequest.meter.record(watermark.map { AnswerMark(marked: true, method: .engine, scheme: $0.scheme.rawValue) }
            ?? .unmarked)
        let formatter = CompletionFormatter(model: request.model, endpoint: request.endpoint)

        let (chunks, continuation) = AsyncThrowingStream<ByteBuffer, Error>.makeStream()
        let cancelled = CancelFlag()
        continuation.onTermination = { _ in cancelled.value.store(true, ordering: .relaxed) }
        let stream = request.stream
        let generator = self.generator
        queue.async {
            do {
                let output = try generator.generate(promptTokens, maxTokens: maxTokens, sampling: sampling,
                                                    chooser: watermarkChooser) { piece in
                    if stream, !piece.isEmpty { continuation.yield(formatter.chunk(piece)) }
                    return !cancelled.value.load(ordering: .relaxed)
                }
                let completion = output.completion
                let finish = completion.stopReason == .stopToken ? "stop" : "length"
                let usage = Usage(promptTokens: completion.promptTokens, completionTokens: completion.tokens.count)
                if stream {
                    continuation.yield(formatter.chunk(output.unstreamedTail, finishReason: finish))
                    continuation.yield(formatter.usageChunk(usage))
                    continuation.yield(CompletionFormatter.done)
                } else {
                    continuation.yield(formatter.completion(choices: [(output.text, finish)], usage: usage))
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
}

private final class CancelFlag: Sendable {
    let value = Atomic<Bool>(false)
}
