import AegisCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import Synchronization

/// The enforcement path of one completion request: body → key → parse →
/// model → policy → limits → upstream → log, each step answering with an
/// OpenAI-shaped error when it refuses.
public final class GatewayCore: Sendable {
    let configuration: GatewayConfiguration
    let store: any Store
    let upstream: any Upstream
    let policy: any PolicyDecider
    let observer: (any ExchangeObserver)?
    let accounts: AccountCache
    let limiter: RateLimiter
    let authenticator: Authenticator
    let log: ExchangeLogWriter
    let metrics: GatewayMetrics
    let logger: Logger
    private let modelList = Mutex<[String]?>(nil)
    /// The last decision recorded per account, so a throttled campaign's
    /// thousands of requests make one audit record, not thousands of writes.
    private let lastRecorded = Mutex<[String: String]>([:])

    /// Assembles the parts; see ``Gateway`` for the usual wiring.
    public init(configuration: GatewayConfiguration, store: any Store, upstream: any Upstream,
                policy: any PolicyDecider, observer: (any ExchangeObserver)? = nil, accounts: AccountCache? = nil,
                limiter: RateLimiter, log: ExchangeLogWriter, metrics: GatewayMetrics,
                logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.upstream = upstream
        self.policy = policy
        self.observer = observer
        self.accounts = accounts ?? AccountCache(store: store, refresh: configuration.cacheSeconds)
        self.limiter = limiter
        self.authenticator = Authenticator(store: store, refresh: configuration.cacheSeconds)
        self.log = log
        self.metrics = metrics
        self.logger = logger
        if let served = configuration.servedModels { modelList.withLock { $0 = served } }
    }

    /// The served model ids (asked of the upstream once, then kept).
    func models() async throws(GatewayError) -> [String] {
        if let models = modelList.withLock({ $0 }) { return models }
        do {
            let models = try await upstream.models()
            modelList.withLock { $0 = models }
            return models
        } catch let error as GatewayError {
            throw error
        } catch {
            throw .upstreamFailed("listing models: \(error)")
        }
    }

    // MARK: Completions

    func complete(_ endpoint: Endpoint, request: Request, context: GatewayContext) async -> Response {
        let start = ContinuousClock.now
        var line = ExchangeLine(id: Identifiers.timeOrdered(prefix: "ex_"), time: Date(), endpoint: endpoint.rawValue, status: 0)
        line.clientIP = clientAddress(request, context)
        line.userAgent = request.headers[.userAgent]

        let bytes: [UInt8]
        do {
            bytes = try await collectBody(request)
        } catch {
            return fail(error, line, start)
        }
        line.rawRequest = String(decoding: bytes.prefix(4096), as: UTF8.self)

        let key: APIKey
        do {
            key = try await authenticator.authenticate(authorization: request.headers[.authorization])
        } catch {
            // Refused before parsing: still log the body as JSON when it is JSON.
            if let body = JSONValue.parse(bytes), case .object = body {
                line.requestBody = body
                line.requestJSON = String(decoding: bytes.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }, as: UTF8.self)
            }
            return fail(error, line, start)
        }
        line.account = key.account
        line.keyID = key.id
        if let account = await accounts.account(key.account) {
            line.accountCreated = account.created
            line.accountMetadata = account.metadata
        }

        let parsed: CompletionRequest
        do {
            parsed = try CompletionRequest(endpoint: endpoint, body: bytes)
        } catch {
            return fail(error, line, start)
        }
        line.requestJSON = parsed.singleLineJSON
        line.requestBody = parsed.body
        line.model = parsed.model

        do {
            let served = try await models()
            guard served.contains(parsed.model) else { throw GatewayError.unknownModel(parsed.model, known: served) }
        } catch {
            return fail(error as? GatewayError ?? .internalError, line, start)
        }

        let decision = await policy.decide(
            PolicyContext(account: key.account, keyID: key.id, request: parsed, clientIP: line.clientIP))
        line.policy = decision
        if decision.action != .allow { recordDecision(decision, account: key.account, exchange: line.id) }
        if decision.action == .block {
            metrics.rejection("blocked")
            return fail(GatewayError.blocked(account: key.account, reason: decision.reason ?? "policy"), line, start)
        }

        let maxTokens = min(parsed.maxTokens ?? configuration.defaultMaxTokens, decision.maxTokens ?? .max)
        let cost = maxTokens * parsed.choices * upstream.samplesPerAnswer
        let scopes: [(RateLimiter.Scope, RateLimits)] = [
            (.key(key.id), key.limits),
            (.account(key.account), configuration.accountLimits.tightened(by: decision.limits)),
        ]
        let ticket: RateLimiter.Ticket
        let snapshot: Admission.Snapshot?
        switch limiter.admit(scopes, tokens: cost) {
        case let .refused(refusal, refusedSnapshot):
            metrics.rejection(refusal.limit)
            let scope = "key \(key.id) of account \(key.account)"
            return fail(RateLimitHeaders.error(refusal, refusedSnapshot, scope: scope), line, start)
        case let .admitted(granted, grantedSnapshot):
            ticket = granted
            snapshot = grantedSnapshot
        }

        let meter = UpstreamMeter()
        let upstreamRequest = UpstreamRequest(request: parsed, body: parsed.upstreamBody(for: decision),
                                              account: key.account, keyID: key.id, meter: meter)
        let reply: UpstreamReply
        do {
            reply = try await upstream.send(upstreamRequest)
        } catch {
            limiter.release(ticket, usedTokens: 0)
            let failure = error as? GatewayError ?? GatewayError.upstreamFailed("\(error)")
            return fail(failure, line, start)
        }

        switch reply {
        case let .complete(status, body):
            return completeReply(status: status, body: body, cost: cost, ticket: ticket, snapshot: snapshot,
                                 withholding: decision.withholding, meter: meter, line: line, start: start)
        case let .stream(chunks):
            return streamReply(chunks, request: parsed, ticket: ticket, snapshot: snapshot,
                               withholding: decision.withholding, meter: meter, line: line, start: start)
        }
    }

    private func completeReply(status: Int, body: ByteBuffer, cost: Int, ticket: RateLimiter.Ticket,
                               snapshot: Admission.Snapshot?, withholding: PolicyDecision.Withholding,
                               meter: UpstreamMeter, line: ExchangeLine, start: ContinuousClock.Instant) -> Response {
        var line = line
        var body = body
        var parsed = JSONValue.parse(body.readableBytesView)
        if let completion = parsed, let filtered = withholding.filter(completion) {
            parsed = filtered
            body = ByteBuffer(string: JSONWriter().string(filtered))
        }
        let summary = ResponseSummary(completion: parsed)
        // What the model server really spent (all candidates, under draft selection) counts.
        limiter.release(ticket, usedTokens: meter.tokens ?? summary.usage?.totalTokens ?? (status == 200 ? cost : 0))
        if status == 200 { line.mark = Self.mark(meter) }
        if status >= 500 {
            line.response = summary
            return fail(GatewayError.upstreamFailed("status \(status)"), line, start)
        }
        line.status = status
        line.response = summary
        var headers: HTTPFields = [.contentType: "application/json", Self.requestIDField: line.id]
        RateLimitHeaders.add(snapshot, to: &headers)
        finish(line, start)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: body))
    }

    private func streamReply(_ chunks: UpstreamBody, request: CompletionRequest, ticket: RateLimiter.Ticket,
                             snapshot: Admission.Snapshot?, withholding: PolicyDecision.Withholding,
                             meter: UpstreamMeter, line: ExchangeLine, start: ContinuousClock.Instant) -> Response {
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache",
                                   Self.requestIDField: line.id]
        RateLimitHeaders.add(snapshot, to: &headers)
        let promptEstimate = max(1, request.raw.count / 4)
        let body = ResponseBody { [self] writer in
            var line = line
            var relay = ServerSentEventRelay(includeUsage: request.includeUsage, promptEstimate: promptEstimate,
                                             withholding: withholding)
            var iterator = chunks.makeAsyncIterator()
            var clientGone = false
            var firstTokenSeen = false
            var upstreamError: GatewayError?
            while true {
                let chunk: ByteBuffer?
                do {
                    chunk = try await iterator.next()
                } catch {
                    upstreamError = HTTPUpstream.translate(error, timeout: .seconds(0)) as? GatewayError
                        ?? .upstreamFailed("\(error)")
                    break
                }
                guard let chunk else { break }
                let out = relay.feed(chunk)
                guard out.readableBytes > 0 else { continue }
                do {
                    try await writer.write(out)
                } catch {
                    clientGone = true
                    break
                }
                if !firstTokenSeen, relay.forwardedContent {
                    firstTokenSeen = true
                    metrics.timeToFirstToken(seconds: Self.seconds(since: start))
                }
            }
            if !clientGone {
                let tail = upstreamError.map { ServerSentEventRelay.errorEvent($0) } ?? relay.finish()
                if let tail { try? await writer.write(tail) }
                try? await writer.finish(nil)
            }
            var summary = relay.summary
            summary.usage = relay.usage
            if let upstreamError { summary.error = upstreamError.object }
            if clientGone { summary.error = summary.error ?? ["message": "client disconnected", "code": "client_closed"] }
            limiter.release(ticket, usedTokens: meter.tokens ?? summary.usage?.totalTokens)
            line.status = 200
            line.mark = Self.mark(meter)
            line.response = summary
            finish(line, start)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: Steps

    /// The client's address: the connection's peer, or, behind a trusted proxy,
    /// the last address that proxy appended to X-Forwarded-For (earlier ones
    /// are whatever the client claimed).
    private func clientAddress(_ request: Request, _ context: GatewayContext) -> String? {
        if configuration.trustForwardedFor, let forwarded = request.headers[Self.forwardedForField],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return last
        }
        return context.remoteAddress?.ipAddress
    }

    static let forwardedForField = HTTPField.Name("x-forwarded-for")!

    private func collectBody(_ request: Request) async throws(GatewayError) -> [UInt8] {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw .bodyTooLarge(limit: limit)
        }
        // The deadline is enforced in the pipeline (BodyDeadlineHandler), which has
        // already answered 408 when the read fails after it.
        let started = ContinuousClock.now
        do {
            return Array(try await request.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge(limit: limit)
        } catch {
            if Self.seconds(since: started) >= configuration.bodyTimeout * 0.9 { throw .bodyTimeout }
            throw .badRequest("the request body could not be read: \(error)")
        }
    }

    /// Records a decision when it differs from the last one recorded for the
    /// account; every request's decision is in its exchange-log line anyway.
    private func recordDecision(_ decision: PolicyDecision, account: String, exchange: String) {
        let signature = decision.action.rawValue + "\u{1F}" + (decision.reason ?? "")
        let isNew = lastRecorded.withLock { last in
            guard last[account] != signature else { return false }
            last[account] = signature
            return true
        }
        guard isNew else { return }
        let record = PolicyDecisionRecord(time: Date(), account: account, action: decision.action.rawValue,
                                          reason: decision.reason ?? "", exchangeID: exchange)
        let store = self.store
        let logger = self.logger
        Task.detached {
            do { try await store.record(record) } catch { logger.error("recording a policy decision failed: \(error)") }
        }
    }

    private func fail(_ error: any Error, _ line: ExchangeLine, _ start: ContinuousClock.Instant) -> Response {
        let failure = error as? GatewayError ?? .internalError
        var line = line
        line.status = failure.statusCode
        line.error = failure
        finish(line, start)
        var response = failure.response
        response.headers[Self.requestIDField] = line.id
        return response
    }

    /// How the answer was marked, with what the model server spent when the upstream metered it.
    private static func mark(_ meter: UpstreamMeter) -> AnswerMark {
        var mark = meter.mark ?? .unmarked
        mark.upstreamTokens = meter.tokens
        return mark
    }

    /// `x-request-id`: the exchange id, to find a request in the log.
    static let requestIDField = HTTPField.Name("x-request-id")!

    private func finish(_ line: ExchangeLine, _ start: ContinuousClock.Instant) {
        let exchange = line.exchange
        log.enqueue(line.logged(exchange))
        observer?.observe(exchange)
        metrics.request(endpoint: line.endpoint, status: line.status, seconds: Self.seconds(since: start))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let components = (ContinuousClock.now - start).components
        return Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
