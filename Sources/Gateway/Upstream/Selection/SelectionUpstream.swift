import AegisCore
import Inference
import NIOCore
import Synchronization

/// Watermarks the answers of a model server that cannot be changed, by draft
/// selection: for each answer (or each segment of S tokens) it asks the server
/// for K samples and returns the one whose watermark p-value for the account's
/// payload is smallest (``DraftSelection``).
///
/// What a later test sees is ordinary text: `aegis detect` and the forensic tests
/// test it as KGW/Gumbel text under the usual null (the key is independent of an
/// unmarked text). The maximum over K only exists at selection time.
///
/// Whole answers go to the client's own endpoint. Segments go to the server's
/// `/completions` endpoint, the prompt rendered with the served model's chat
/// template (from the `--tokenizer` GGUF) and the chosen text so far appended:
/// a black-box chat endpoint has no way to continue a half-written answer.
public final class SelectionUpstream: Upstream {
    private let base: any ModelServer
    private let selection: DraftSelection
    private let scorer: CandidateScorer
    private let defaultMaxTokens: Int
    /// Under ``DraftSelection/Sampling/auto``: whether the server honours `n`
    /// (0 not known yet, 1 yes, 2 no), learned from its first answer.
    private let honoursN = Atomic<Int>(0)

    /// Creates the upstream.
    /// - Parameters:
    ///   - base: the model server.
    ///   - defaultMaxTokens: the answer length when a request gives no max_tokens (segments need one).
    public init(base: any ModelServer, selection: DraftSelection, scorer: CandidateScorer, defaultMaxTokens: Int) {
        self.base = base
        self.selection = selection
        self.scorer = scorer
        self.defaultMaxTokens = defaultMaxTokens
    }

    public func models() async throws -> [String] { try await base.models() }

    /// K: every answer costs K samples at the model server.
    public var samplesPerAnswer: Int { selection.candidates }

    public func send(_ request: UpstreamRequest) async throws -> UpstreamReply {
        guard let parsed = JSONValue.parse(request.body), case .object = parsed else {
            throw GatewayError.badRequest("the request body must be a JSON object", code: "invalid_json")
        }
        // Candidates are asked directly, not through HTTPUpstream.send: drop a client's own payload here too.
        let body = PayloadForwarding.withoutClientPayload(parsed)
        let context = Context(request: request, body: body, payload: scorer.payload(account: request.account),
                              formatter: CompletionFormatter(model: request.request.model, endpoint: request.request.endpoint),
                              seedBase: UInt64(body["seed"]?.intValue.map { UInt32(truncatingIfNeeded: $0) }
                                  ?? UInt32.random(in: 0 ... .max)))
        if selection.segmentTokens != nil { return try await segmented(context) }
        return try await whole(context)
    }

    /// What one request's selection works from.
    private struct Context: Sendable {
        let request: UpstreamRequest
        let body: JSONValue
        let payload: UInt32
        let formatter: CompletionFormatter
        let seedBase: UInt64
        var choices: Int { max(1, body["n"]?.intValue ?? 1) }
        var stream: Bool { request.request.stream }
    }

    private func mark(answered: Int, note: String? = nil) -> AnswerMark {
        AnswerMark(marked: selection.candidates > 1 && answered > 1, method: .draftSelection,
                   scheme: scorer.configuration.scheme.rawValue, candidates: selection.candidates, answered: answered,
                   segmentTokens: selection.segmentTokens,
                   note: note ?? (answered <= 1 ? "one candidate only: the answer is not marked" : nil))
    }

    // MARK: Whole answers

    private func whole(_ context: Context) async throws -> UpstreamReply {
        let k = selection.candidates
        let plain = context.body.setting("stream", to: false).removing("stream_options")
        let drawn = try await draw(plain, path: context.request.request.endpoint.path,
                                   count: context.choices * k, seedBase: context.seedBase)
        context.request.meter.charge(drawn.spent)
        guard drawn.drafts.count >= context.choices else {
            if let failure = drawn.failure { return .complete(status: failure.status, body: failure.body) }
            throw GatewayError.upstreamFailed("the model server answered \(drawn.drafts.count) of \(context.choices * k) candidates")
        }
        // Candidates are grouped per requested choice; a group short of K (some failed) still selects.
        let groups = Self.groups(drawn.drafts, into: context.choices)
        let chosen = groups.compactMap { best(of: $0, payload: context.payload) }
        let answered = groups.map(\.count).min() ?? 0
        context.request.meter.record(mark(answered: answered, note: drawn.note))
        let usage = Usage(promptTokens: drawn.promptTokens, completionTokens: chosen.reduce(0) { $0 + $1.completionTokens })
        if context.stream {
            var events: [ByteBuffer] = []
            for (index, draft) in chosen.enumerated() {
                events.append(context.formatter.chunk(draft.text, index: index, finishReason: draft.finishReason ?? "stop"))
            }
            events.append(context.formatter.usageChunk(usage))
            events.append(CompletionFormatter.done)
            let (stream, continuation) = AsyncThrowingStream<ByteBuffer, Error>.makeStream()
            for event in events { continuation.yield(event) }
            continuation.finish()
            return .stream(UpstreamBody(stream))
        }
        var answer = drawn.template
        answer = answer.setting("choices", to: .array(chosen.enumerated().map { index, draft in
            draft.choice.setting("index", to: .number(Double(index)))
        }))
        answer = answer.setting("usage", to: ["prompt_tokens": .number(Double(usage.promptTokens)),
                                              "completion_tokens": .number(Double(usage.completionTokens)),
                                              "total_tokens": .number(Double(usage.totalTokens))])
        return .complete(status: 200, body: ByteBuffer(string: JSONWriter().string(answer)))
    }

    /// The draft whose text (after `prefix`, the answer so far) has the smallest p-value for `payload`.
    private func best(of drafts: [Draft], after prefix: String = "", payload: UInt32) -> Draft? {
        drafts.map { (draft: $0, p: scorer.pValue(prefix + $0.text, payload: payload)) }.min { $0.p < $1.p }?.draft
    }

    private static func groups(_ drafts: [Draft], into count: Int) -> [[Draft]] {
        var groups = [[Draft]](repeating: [], count: count)
        for (index, draft) in drafts.enumerated() { groups[index % count].append(draft) }
        return groups
    }

    // MARK: Segments

    private func segmented(_ context: Context) async throws -> UpstreamReply {
        let prompt = try completionPrompt(context)
        let maxTokens = context.body["max_tokens"]?.intValue ?? context.body["max_completion_tokens"]?.intValue
            ?? defaultMaxTokens
        var base: JSONValue = .object(JSONObject())
        for name in Self.samplingParameters {
            if let value = context.body[name], !value.isNull { base = base.setting(name, to: value) }
        }
        base = base.setting("model", to: .string(context.request.request.model)).setting("stream", to: false)
        let segments = SegmentRun(prompt: prompt, base: base, maxTokens: maxTokens, context: context)
        if !context.stream {
            var answers: [(text: String, finishReason: String)] = []
            var summary = SegmentSummary()
            for choice in 0..<context.choices {
                let answer = try await run(segments, choice: choice, summary: &summary) { _ in }
                answers.append(answer)
            }
            context.request.meter.record(mark(answered: summary.fewestAnswered, note: summary.note))
            let usage = Usage(promptTokens: summary.promptTokens, completionTokens: summary.completionTokens)
            return .complete(status: 200, body: context.formatter.completion(choices: answers, usage: usage))
        }
        let (events, continuation) = AsyncThrowingStream<ByteBuffer, Error>.makeStream()
        let task = Task {
            do {
                var summary = SegmentSummary()
                for choice in 0..<context.choices {
                    let answer = try await self.run(segments, choice: choice, summary: &summary) { piece in
                        continuation.yield(context.formatter.chunk(piece, index: choice))
                    }
                    continuation.yield(context.formatter.chunk("", index: choice, finishReason: answer.finishReason))
                }
                context.request.meter.record(self.mark(answered: summary.fewestAnswered, note: summary.note))
                continuation.yield(context.formatter.usageChunk(
                    Usage(promptTokens: summary.promptTokens, completionTokens: summary.completionTokens)))
                continuation.yield(CompletionFormatter.done)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return .stream(UpstreamBody(events))
    }

    /// The sampling parameters a segment request carries over from the client's.
    private static let samplingParameters = ["temperature", "top_p", "min_p", "top_k", "stop", "presence_penalty",
                                             "frequency_penalty", "repeat_penalty", "logit_bias"]

    private struct SegmentRun: Sendable {
        let prompt: String
        let base: JSONValue
        let maxTokens: Int
        let context: Context
    }

    private struct SegmentSummary {
        var promptTokens = 0
        var completionTokens = 0
        var fewestAnswered = Int.max
        var note: String?
    }

    /// One answer, segment by segment; `emit` gets each chosen segment's text.
    private func run(_ run: SegmentRun, choice: Int, summary: inout SegmentSummary,
                     emit: (String) -> Void) async throws -> (text: String, finishReason: String) {
        let k = selection.candidates
        let segment = selection.segmentTokens ?? run.maxTokens
        var text = ""
        var produced = 0
        var round = 0
        while produced < run.maxTokens {
            try Task.checkCancellation()
            let ask = min(segment, run.maxTokens - produced)
            let body = run.base.setting("prompt", to: .string(run.prompt + text)).setting("max_tokens", to: .number(Double(ask)))
            let seedBase = run.context.seedBase &+ UInt64((choice * 100_003 + round) * k)
            let drawn = try await draw(body, path: Endpoint.completions.path, count: k, seedBase: seedBase)
            run.context.request.meter.charge(drawn.spent)
            if round == 0 { summary.promptTokens = max(summary.promptTokens, drawn.promptTokens) }
            guard !drawn.drafts.isEmpty else {
                if let failure = drawn.failure, produced == 0 {
                    throw GatewayError.upstreamFailed("segment candidates failed with status \(failure.status): "
                        + String(buffer: failure.body).prefix(200))
                }
                summary.note = "the model server stopped answering after \(produced) tokens; the answer is cut there"
                return (text, "length")
            }
            summary.fewestAnswered = min(summary.fewestAnswered, drawn.drafts.count)
            if let note = drawn.note { summary.note = note }
            guard let best = best(of: drawn.drafts, after: text, payload: run.context.payload) else { return (text, "length") }
            text += best.text
            produced += max(1, best.completionTokens)
            summary.completionTokens += best.completionTokens
            if !best.text.isEmpty { emit(best.text) }
            round += 1
            if best.finishReason == "stop" || best.text.isEmpty { return (text, "stop") }
        }
        return (text, "length")
    }

    /// The completions prompt: the chat rendered with the served model's template, or the client's prompt.
    private func completionPrompt(_ context: Context) throws(GatewayError) -> String {
        switch context.request.request.endpoint {
        case .completions:
            return context.body["prompt"]?.stringValue ?? context.body["prompt"]?.arrayValue?.first?.stringValue ?? ""
        case .chatCompletions:
            guard let template = scorer.template else {
                throw .badRequest("segment selection of chat answers needs the served model's chat template; "
                    + "give --tokenizer a GGUF that holds one, or select whole answers (leave out --select-segment)")
            }
            let messages = (context.body["messages"]?.arrayValue ?? []).map(ChatMessage.init(openAI:))
            return template.render(messages, addGenerationPrompt: true)
        }
    }

    // MARK: Asking for candidates

    /// One candidate answer.
    private struct Draft: Sendable {
        /// The choice object as the server wrote it (message, logprobs, …).
        var choice: JSONValue
        var text: String
        var finishReason: String?
        var completionTokens: Int
    }

    /// What came back for one batch of candidates.
    private struct Drawn: Sendable {
        var drafts: [Draft] = []
        /// The first successful answer, less its choices: the shape of the reply.
        var template: JSONValue = .object(JSONObject())
        /// Tokens the server spent (prompt and completion, all requests).
        var spent = 0
        var promptTokens = 0
        /// The first failure, passed to the client when nothing succeeded.
        var failure: (status: Int, body: ByteBuffer)?
        var note: String?
    }

    /// Asks for `count` candidates: one request with `n`, or `count` requests with seeds.
    private func draw(_ body: JSONValue, path: String, count: Int, seedBase: UInt64) async throws -> Drawn {
        var drawn = Drawn()
        var missing = count
        if selection.sampling == .n || (selection.sampling == .auto && honoursN.load(ordering: .relaxed) != 2) {
            let reply = try await base.postCollecting(path: path, body: JSONWriter().bytes(body.setting("n", to: .number(Double(count)))))
            if reply.status == 200 {
                add(reply.body, to: &drawn, perChoiceUsage: false)
                missing = count - drawn.drafts.count
                if selection.sampling == .auto {
                    honoursN.store(missing <= 0 ? 1 : 2, ordering: .relaxed)
                }
            } else if selection.sampling == .n || (400..<500).contains(reply.status) == false {
                drawn.failure = (reply.status, reply.body)
                return drawn
            } else {
                // A 4xx to n = K: this server takes one sample per request (llama.cpp's refuses n ≠ 1).
                honoursN.store(2, ordering: .relaxed)
                drawn.note = "the model server refused n = \(count); candidates were asked one request each"
            }
            if missing <= 0 { return drawn }
        }
        let replies = await withTaskGroup(of: Result<(status: Int, body: ByteBuffer), any Error>.self) { group in
            for index in 0..<missing {
                let one = body.setting("n", to: 1).setting("seed", to: .number(Double(UInt32(truncatingIfNeeded: seedBase &+ UInt64(index)))))
                group.addTask { [base] in
                    do { return .success(try await base.postCollecting(path: path, body: JSONWriter().bytes(one))) } catch { return .failure(error) }
                }
            }
            var all: [Result<(status: Int, body: ByteBuffer), any Error>] = []
            for await reply in group { all.append(reply) }
            return all
        }
        var firstError: (any Error)?
        for reply in replies {
            switch reply {
            case let .success(answer) where answer.status == 200:
                add(answer.body, to: &drawn, perChoiceUsage: true)
            case let .success(answer):
                if drawn.failure == nil { drawn.failure = (answer.status, answer.body) }
            case let .failure(error):
                if firstError == nil { firstError = error }
            }
        }
        if drawn.drafts.count < count {
            drawn.note = "\(drawn.drafts.count) of \(count) candidates came back; selected among those"
        }
        if drawn.drafts.isEmpty, drawn.failure == nil, let firstError { throw firstError }
        return drawn
    }

    /// Adds the choices of one successful answer.
    private func add(_ body: ByteBuffer, to drawn: inout Drawn, perChoiceUsage: Bool) {
        guard let answer = JSONValue.parse(body.readableBytesView), case .object = answer else { return }
        let choices = answer["choices"]?.arrayValue ?? []
        let usage = answer["usage"]
        let prompt = usage?["prompt_tokens"]?.intValue ?? 0
        let completion = usage?["completion_tokens"]?.intValue
        drawn.spent += (usage?["total_tokens"]?.intValue ?? (prompt + (completion ?? 0)))
        drawn.promptTokens = max(drawn.promptTokens, prompt)
        if drawn.drafts.isEmpty { drawn.template = answer.removing("choices").removing("usage") }
        for choice in choices {
            let text = ResponseSummary.text(ofChoice: choice)
            // With n > 1 the server reports one total: count each choice's tokens ourselves.
            let tokens = perChoiceUsage && choices.count == 1 ? (completion ?? scorer.tokens(text).count) : scorer.tokens(text).count
            drawn.drafts.append(Draft(choice: choice, text: text, finishReason: choice["finish_reason"]?.stringValue,
                                      completionTokens: tokens))
        }
    }
}
