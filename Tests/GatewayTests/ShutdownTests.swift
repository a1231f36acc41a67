import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Store
import Synchronization
import Testing
@testable import Gateway

@Suite struct ShutdownTests {
    /// SIGTERM while streams and plain requests are in flight: every request that
    /// received a response is in the log afterwards.
    @Test func sigtermUnderLoadLosesNoAnsweredRequest() async throws {
        let upstream = ScriptedUpstream(chunks: 20, delay: .milliseconds(10))
        let answered = Locked<Set<String>>([])
        let inFlightAtSignal = Locked<Int>(0)
        let logged = Locked<Set<String>>([])
        try await withGateway(upstream: upstream, signals: [.sigterm], afterShutdown: { store in
            let ids = try await loggedExchanges(store).compactMap { $0["id"] as? String }
            logged.withLock { $0 = Set(ids) }
        }) { gateway in
            let key = try await gateway.store.createKey(account: "acct_load", limits: RateLimits()).secret
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(index / 2))  // keep arriving across the signal
                        let stream = index % 2 == 0
                        let body = #"{"model":"test-model","stream":\#(stream),"messages":[{"role":"user","content":"n\#(index)"}]}"#
                        let response: (status: Int, headers: HTTPHeaders, body: String)
                        do {
                            response = try await gateway.send("/v1/chat/completions", key: key, body: body)
                        } catch {
                            return  // refused after the signal: no response, nothing to log
                        }
                        guard let id = response.headers.first(name: "x-request-id") else { return }
                        answered.withLock { _ = $0.insert(id) }
                    }
                }
                group.addTask {
                    // Signal once many requests are inside the gateway (upstream answering slowly).
                    while upstream.received.withLock({ $0 }) < 60 { try await Task.sleep(for: .milliseconds(2)) }
                    inFlightAtSignal.withLock { $0 = upstream.received.withLock { $0 } }
                    kill(getpid(), SIGTERM)
                }
                try await group.waitForAll()
            }
        }
        let answeredIDs = answered.withLock { $0 }
        let loggedIDs = logged.withLock { $0 }
        print("SIGTERM under load: \(inFlightAtSignal.withLock { $0 }) in flight at the signal, \(answeredIDs.count) answered, all \(loggedIDs.count) logged")
        // Every request inside the gateway when the signal came was drained to an answer.
        #expect(answeredIDs.count >= inFlightAtSignal.withLock { $0 })
        #expect(answeredIDs.subtracting(loggedIDs).isEmpty,
                "answered but not logged: \(answeredIDs.subtracting(loggedIDs).count) of \(answeredIDs.count)")
    }
}
