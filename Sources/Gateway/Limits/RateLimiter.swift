import Store
import Synchronization

/// Requests-per-minute, tokens-per-minute and concurrency limits, for keys and
/// accounts at once, exact under any concurrency.
///
/// Each limited scope (a key, an account) has a token bucket for requests
/// (capacity = rpm, refilled continuously at rpm/60 per second, which is GCRA
/// with a burst of one minute), one for tokens, and a count of requests in
/// flight. A request is admitted only if every scope it belongs to admits it,
/// checked and charged under one lock, so 1,000 simultaneous requests on a
/// 100-rpm key admit exactly 100.
///
/// Token cost is reserved up front (max_tokens × n) and settled with the
/// usage actually reported when the answer is complete.
public final class RateLimiter: Sendable {
    private let state = Mutex<[Scope: Bucket]>([:])
    private let now: @Sendable () -> Double

    /// Creates a limiter.
    /// - Parameter now: seconds on a monotonic clock; tests pass a frozen one.
    public init(now: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.now = now
    }

    /// Seconds since an arbitrary origin, from the monotonic clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        let components = (ContinuousClock.now - origin).components
        return Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    private static let origin = ContinuousClock.now

    /// A key or an account.
    public enum Scope: Hashable, Sendable {
        case key(String)
        case account(String)
    }

    /// Tries to admit a request costing `tokens` in every scope; on success the
    /// request holds one concurrency slot in each until ``release(_:)``.
    public func admit(_ scopes: [(Scope, RateLimits)], tokens: Int) -> Admission {
        let time = now()
        return state.withLock { buckets in
            var snapshots: [Admission.Snapshot] = []
            // First check every scope, then charge all: all or nothing.
            for (scope, limits) in scopes {
                var bucket = buckets[scope] ?? Bucket(limits: limits, time: time)
                bucket.refill(limits: limits, time: time)
                if let refusal = bucket.refusal(limits: limits, tokens: tokens) {
                    return .refused(refusal, bucket.snapshot(limits: limits))
                }
                buckets[scope] = bucket
            }
            for (scope, limits) in scopes {
                buckets[scope]!.charge(limits: limits, tokens: tokens)
                snapshots.append(buckets[scope]!.snapshot(limits: limits))
            }
            return .admitted(Ticket(scopes: scopes, reservedTokens: tokens), snapshots.min(by: Admission.Snapshot.tighter))
        }
    }

    /// Settles a ticket's token reservation with the tokens actually used and frees its concurrency slots.
    public func release(_ ticket: Ticket, usedTokens: Int?) {
        let time = now()
        state.withLock { buckets in
            for (scope, limits) in ticket.scopes {
                guard var bucket = buckets[scope] else { continue }
                bucket.refill(limits: limits, time: time)
                if let used = usedTokens, limits.tokensPerMinute != nil {
                    bucket.tokens = min(Double(limits.tokensPerMinute!), bucket.tokens + Double(ticket.reservedTokens - used))
                }
                bucket.inFlight = max(0, bucket.inFlight - 1)
                buckets[scope] = bucket
            }
        }
    }

    /// A granted admission: what to release later.
    public struct Ticket: Sendable {
        let scopes: [(Scope, RateLimits)]
        let reservedTokens: Int
    }
}

/// The outcome of ``RateLimiter/admit(_:tokens:)``.
public enum Admission: Sendable {
    /// Admitted; the snapshot (tightest scope) fills the x-ratelimit headers.
    case admitted(RateLimiter.Ticket, Snapshot?)
    /// Refused, with why and the refusing scope's state.
    case refused(Refusal, Snapshot)

    /// The state of one scope's buckets after the decision.
    public struct Snapshot: Sendable {
        public var limitRequests: Int?
        public var remainingRequests: Int?
        public var resetRequests: Double?
        public var limitTokens: Int?
        public var remainingTokens: Int?
        public var resetTokens: Double?

        static func tighter(_ a: Snapshot, _ b: Snapshot) -> Bool {
            (a.remainingRequests ?? .max) < (b.remainingRequests ?? .max)
        }
    }

    /// Why a request was refused.
    public struct Refusal: Sendable, Equatable {
        /// "requests", "tokens" or "concurrency".
        public var limit: String
        /// Seconds until a retry can succeed.
        public var retryAfter: Double
        /// True when retrying cannot help (the request costs more than the budget holds).
        public var exhausted: Bool
    }
}

/// One scope's state.
struct Bucket {
    var requests: Double
    var tokens: Double
    var inFlight = 0
    var time: Double

    init(limits: RateLimits, time: Double) {
        requests = Double(limits.requestsPerMinute ?? 0)
        tokens = Double(limits.tokensPerMinute ?? 0)
        self.time = time
    }

    mutating func refill(limits: RateLimits, time: Double) {
        let elapsed = max(0, time - self.time)
        self.time = max(self.time, time)
        if let rpm = limits.requestsPerMinute {
            requests = min(Double(rpm), requests + elapsed * Double(rpm) / 60)
        }
        if let tpm = limits.tokensPerMinute {
            tokens = min(Double(tpm), tokens + elapsed * Double(tpm) / 60)
        }
    }

    func refusal(limits: RateLimits, tokens cost: Int) -> Admission.Refusal? {
        if let concurrency = limits.concurrency, inFlight >= concurrency {
            return .init(limit: "concurrency", retryAfter: 1, exhausted: concurrency == 0)
        }
        if let rpm = limits.requestsPerMinute, requests < 1 {
            return .init(limit: "requests", retryAfter: rpm > 0 ? (1 - requests) * 60 / Double(rpm) : 60, exhausted: rpm == 0)
        }
        if let tpm = limits.tokensPerMinute, tokens < Double(cost) {
            let exhausted = cost > tpm
            return .init(limit: "tokens", retryAfter: exhausted ? 60 : (Double(cost) - tokens) * 60 / Double(tpm),
                         exhausted: exhausted)
        }
        return nil
    }

    mutating func charge(limits: RateLimits, tokens cost: Int) {
        if limits.requestsPerMinute != nil { requests -= 1 }
        if limits.tokensPerMinute != nil { tokens -= Double(cost) }
        inFlight += 1
    }

    func snapshot(limits: RateLimits) -> Admission.Snapshot {
        var snapshot = Admission.Snapshot()
        if let rpm = limits.requestsPerMinute {
            snapshot.limitRequests = rpm
            snapshot.remainingRequests = max(0, Int(requests.rounded(.down)))
            snapshot.resetRequests = rpm > 0 ? max(0, Double(rpm) - requests) * 60 / Double(rpm) : 60
        }
        if let tpm = limits.tokensPerMinute {
            snapshot.limitTokens = tpm
            snapshot.remainingTokens = max(0, Int(tokens.rounded(.down)))
            snapshot.resetTokens = tpm > 0 ? max(0, Double(tpm) - tokens) * 60 / Double(tpm) : 60
        }
        return snapshot
    }
}
