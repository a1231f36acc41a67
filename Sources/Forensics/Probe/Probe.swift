/// The closed-model probe: asks a suspect endpoint every prompt not yet answered,
/// with bounded concurrency, a request rate limit and retries with exponential
/// backoff, writing each answer to the cache as it arrives.
public struct Probe: Sendable {
    /// How hard to drive the endpoint.
    public struct Options: Sendable {
        /// Requests in flight at once.
        public var concurrency: Int
        /// Request starts per second at most (nil: no limit).
        public var requestsPerSecond: Double?
        /// Tries per prompt before giving up (the first try included).
        public var attempts: Int
        /// Wait before the first retry; doubled after each, up to `maximumBackoff`, with jitter.
        public var initialBackoff: Duration
        /// The longest wait between two tries.
        public var maximumBackoff: Duration

        /// Options with the defaults of `aegis forensics probe`.
        public init(concurrency: Int = 4, requestsPerSecond: Double? = nil, attempts: Int = 5,
                    initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(30)) {
            self.concurrency = max(1, concurrency)
            self.requestsPerSecond = requestsPerSecond
            self.attempts = max(1, attempts)
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    /// One prompt to ask.
    public struct Prompt: Sendable, Equatable {
        /// Its stable id (the cache key).
        public var id: String
        /// The text sent as the user message.
        public var text: String

        /// A prompt from its parts.
        public init(id: String, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// The endpoint asked.
    public let endpoint: any SuspectEndpoint
    /// The pacing.
    public let options: Options

    /// A probe of `endpoint`.
    public init(endpoint: any SuspectEndpoint, options: Options = Options()) {
        self.endpoint = endpoint
        self.options = options
    }

    /// Asks every prompt without an answer in `cache`; `progress(done, total)` after each answer.
    /// - Throws: `ForensicsError.suspectFailed` / `.suspectRefused` after the answers
    ///   received so far have been written; a rerun resumes from there.
    public func run(prompts: [Prompt], cache: AnswerCache,
                    progress: (Int, Int) -> Void = { _, _ in }) async throws(ForensicsError) {
        let pending = prompts.filter { !cache.contains($0.id) }
        let total = prompts.count
        var done = total - pending.count
        progress(done, total)
        guard !pending.isEmpty else { return }
        let limiter = RateLimiter(perSecond: options.requestsPerSecond)
        let endpoint = endpoint, options = options
        var failure: ForensicsError?
        await withTaskGroup(of: Result<AnswerCache.Entry, ForensicsError>.self) { group in
            var next = 0
            func launch() {
                let prompt = pending[next]
                next += 1
                group.addTask {
                    do throws(ForensicsError) {
                        let answer = try await Self.ask(endpoint, prompt.text, options: options, limiter: limiter)
                        return .success(AnswerCache.Entry(id: prompt.id, prompt: prompt.text, answer: answer))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            while next < min(options.concurrency, pending.count) { launch() }
            for await result in group {
                switch result {
                case let .success(entry):
                    do throws(ForensicsError) { try cache.append(entry) } catch { failure = failure ?? error }
                    done += 1
                    progress(done, total)
                case let .failure(error):
                    failure = failure ?? error
                }
                if failure == nil, next < pending.count { launch() }
            }
        }
        if let failure { throw failure }
    }

    /// One prompt, retried on transient failures.
    static func ask(_ endpoint: any SuspectEndpoint, _ prompt: String, options: Options,
                    limiter: RateLimiter) async throws(ForensicsError) -> String {
        var backoff = options.initialBackoff
        var lastReason = ""
        for attempt in 1...options.attempts {
            await limiter.waitForTurn()
            do {
                return try await endpoint.answer(prompt: prompt)
            } catch {
                switch error {
                case let .permanent(reason): throw .suspectRefused(reason: reason)
                case let .transient(reason): lastReason = reason
                }
            }
            guard attempt < options.attempts else { break }
            // Full jitter between half and all of the backoff spreads out retries of concurrent requests.
            let wait = backoff * Double.random(in: 0.5...1)
            try? await Task.sleep(for: wait)
            backoff = min(backoff * 2, options.maximumBackoff)
        }
        throw .suspectFailed(attempts: options.attempts, reason: lastReason)
    }
}

/// Spaces request starts at least 1/rate apart.
actor RateLimiter {
    private let interval: Duration?
    private var nextStart = ContinuousClock.now

    init(perSecond rate: Double?) {
        interval = rate.flatMap { $0 > 0 ? Duration.seconds(1 / $0) : nil }
    }

    func waitForTurn() async {
        guard let interval else { return }
        let now = ContinuousClock.now
        let start = max(now, nextStart)
        nextStart = start + interval
        if start > now { try? await Task.sleep(until: start, clock: .continuous) }
    }
}
