import Foundation
import Store
import Synchronization
import Testing
@testable import Gateway

@Suite struct LimitTests {
    @Test func aThousandConcurrentAdmissionsOnAHundredRPMKeyAdmitExactlyAHundred() async {
        let clock = ManualClock()
        let limiter = RateLimiter(now: clock.now)
        let limits = RateLimits(requestsPerMinute: 100)
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<1000 {
                group.addTask {
                    if case .admitted(let ticket, _) = limiter.admit([(.key("k"), limits)], tokens: 1) {
                        limiter.release(ticket, usedTokens: 1)
                        return true
                    }
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 100)
    }

    @Test func aThousandConcurrentHTTPRequestsOnAHundredRPMKeyAdmitExactlyAHundred() async throws {
        let clock = ManualClock()
        try await withGateway(limiter: RateLimiter(now: clock.now)) { gateway in
            let key = try await gateway.store.createKey(account: "acct_rl", limits: RateLimits(requestsPerMinute: 100)).secret
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<1000 {
                    group.addTask { try await gateway.send("/v1/chat/completions", key: key, body: chatBody).status }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [200: 100, 429: 900])
        }
    }

    @Test func tokensAreReservedThenSettledWithActualUsage() {
        let clock = ManualClock()
        let limiter = RateLimiter(now: clock.now)
        let limits = RateLimits(tokensPerMinute: 100)
        guard case .admitted(let first, _) = limiter.admit([(.key("k"), limits)], tokens: 60) else {
            Issue.record("first request refused")
            return
        }
        // 60 reserved: a second 60-token request does not fit...
        guard case .refused(let refusal, let snapshot) = limiter.admit([(.key("k"), limits)], tokens: 60) else {
            Issue.record("second request admitted over the budget")
            return
        }
        #expect(refusal.limit == "tokens" && !refusal.exhausted && snapshot.remainingTokens == 40)
        // ...until the first settles having used only 10.
        limiter.release(first, usedTokens: 10)
        guard case .admitted = limiter.admit([(.key("k"), limits)], tokens: 60) else {
            Issue.record("settled tokens were not returned")
            return
        }
        // More than the whole budget can never succeed: retrying is pointless.
        guard case .refused(let never, _) = limiter.admit([(.key("k"), limits)], tokens: 101) else {
            Issue.record("request above the budget admitted")
            return
        }
        #expect(never.exhausted)
    }

    @Test func concurrencyIsCountedUntilRelease() {
        let limiter = RateLimiter(now: ManualClock().now)
        let limits = RateLimits(concurrency: 2)
        var tickets: [RateLimiter.Ticket] = []
        for _ in 0..<2 {
            if case .admitted(let ticket, _) = limiter.admit([(.account("a"), limits)], tokens: 0) { tickets.append(ticket) }
        }
        #expect(tickets.count == 2)
        guard case .refused(let refusal, _) = limiter.admit([(.account("a"), limits)], tokens: 0) else {
            Issue.record("third concurrent request admitted")
            return
        }
        #expect(refusal.limit == "concurrency")
        limiter.release(tickets[0], usedTokens: nil)
        guard case .admitted = limiter.admit([(.account("a"), limits)], tokens: 0) else {
            Issue.record("slot not freed")
            return
        }
    }

    @Test func aRefusalInOneScopeChargesNoOther() {
        let limiter = RateLimiter(now: ManualClock().now)
        let key = RateLimits(requestsPerMinute: 10)
        let account = RateLimits(requestsPerMinute: 1)
        _ = limiter.admit([(.key("k1"), key), (.account("a"), account)], tokens: 0)
        guard case .refused = limiter.admit([(.key("k1"), key), (.account("a"), account)], tokens: 0) else {
            Issue.record("account limit not enforced")
            return
        }
        // k1 was charged once only: 9 left.
        guard case .admitted(_, let snapshot) = limiter.admit([(.key("k1"), key)], tokens: 0) else {
            Issue.record("key refused")
            return
        }
        #expect(snapshot?.remainingRequests == 8)
    }

    @Test func rateLimitedResponsesCarryOpenAIHeaders() async throws {
        let clock = ManualClock()
        try await withGateway(limiter: RateLimiter(now: clock.now)) { gateway in
            let key = try await gateway.store.createKey(account: "acct_h", limits: RateLimits(requestsPerMinute: 1, tokensPerMinute: 50)).secret
            let first = try await gateway.send("/v1/chat/completions", key: key, body: chatBody)
            #expect(first.status == 200)
            #expect(first.headers.first(name: "x-ratelimit-remaining-requests") == "0")
            let second = try await gateway.send("/v1/chat/completions", key: key, body: chatBody)
            #expect(second.status == 429)
            #expect(second.headers.first(name: "retry-after") == "60")
            #expect(second.headers.first(name: "retry-after-ms") == "60000")
            #expect(second.headers.first(name: "x-ratelimit-limit-requests") == "1")
            #expect(second.headers.first(name: "x-ratelimit-reset-requests") == "1m0s")
            #expect(second.headers.first(name: "x-ratelimit-limit-tokens") == "50")
            #expect(second.headers.first(name: "x-should-retry") == nil)
            #expect(second.body.contains("\"code\":\"rate_limit_exceeded\""))
        }
    }
}
