import Synchronization
import Foundation
import Testing
@testable import Store

/// A fresh database in a temporary folder, removed by the caller.
func temporaryStore() throws -> (SQLiteStore, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aegis-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return (try SQLiteStore(path: folder.appendingPathComponent("aegis.db").path), folder)
}

@Suite struct SQLiteStoreTests {
    @Test func keysAuthenticateByTheirSecretOnlyUntilRevoked() async throws {
        let (store, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try await store.createKey(account: "acct_1", limits: RateLimits(requestsPerMinute: 10))
        #expect(created.secret.hasPrefix("sk-aegis-"))
        #expect(try await store.authenticate(secret: created.secret)?.id == created.key.id)
        #expect(try await store.authenticate(secret: created.secret + "x") == nil)
        #expect(try await store.authenticate(secret: "") == nil)
        try await store.revokeKey(id: created.key.id)
        #expect(try await store.authenticate(secret: created.secret) == nil)
        let keys = try await store.keys()
        #expect(keys.count == 1 && keys[0].revoked != nil && keys[0].limits.requestsPerMinute == 10)
        await #expect(throws: StoreError.unknownKey("key_nope")) { try await store.revokeKey(id: "key_nope") }
    }

    @Test func theSecretIsNeverStoredInClear() async throws {
        let (store, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try await store.createKey(account: "acct_1", limits: RateLimits())
        let hexPart = String(created.secret.dropFirst("sk-aegis-".count))
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(data.range(of: Data(hexPart.utf8)) == nil, "secret found in \(file)")
        }
    }

    @Test func keysSurviveReopeningWithTheSameSecretFile() async throws {
        let (store, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try await store.createKey(account: "acct_1", limits: RateLimits())
        let reopened = try SQLiteStore(path: folder.appendingPathComponent("aegis.db").path)
        #expect(try await reopened.authenticate(secret: created.secret)?.account == "acct_1")
        _ = store
    }

    @Test func blockingAndOverridesAreStoredPerAccount() async throws {
        let (store, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await store.setBlocked("acct_2", reason: "distillation campaign")
        #expect(try await store.account("acct_2")?.blockedReason == "distillation campaign")
        try await store.setBlocked("acct_2", reason: nil)
        #expect(try await store.account("acct_2")?.blockedReason == nil)
        let overrides = AccountOverrides(limits: RateLimits(requestsPerMinute: 5), maxTokens: 64)
        try await store.setOverrides("acct_2", overrides)
        #expect(try await store.account("acct_2")?.overrides == overrides)
        #expect(try await store.accounts().map(\.name) == ["acct_2"])
        await #expect(throws: (any Error).self) { try await store.setBlocked("bad name", reason: "x") }
        let metadata = AccountMetadata(paymentFingerprint: "pf_9a1", emailDomain: "example.com", tier: "free")
        try await store.setMetadata("acct_2", metadata)
        #expect(try await store.account("acct_2")?.metadata == metadata)
        #expect(try await store.account("acct_2")?.overrides == overrides)  // untouched by the metadata
    }

    @Test func decisionsKeepTheirSourceAndDryRunFlag() async throws {
        let (store, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let detector = PolicyDecisionRecord(time: Date(timeIntervalSince1970: 1), account: "acct_1", action: "block",
                                            reason: "score 0.95", source: "detector", dryRun: true)
        let policy = PolicyDecisionRecord(time: Date(timeIntervalSince1970: 2), account: "acct_1", action: "throttle",
                                          reason: "operator", exchangeID: "ex_1")
        try await store.record(detector)
        try await store.record(policy)
        #expect(try await store.decisions(account: "acct_1") == [detector, policy])
        #expect(try await store.decisions(account: "acct_2").isEmpty)
    }

    @Test func exchangesAreAppendedInBatchesAndReadBackInTimeOrder() async throws {
        let (store, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let batch = (0..<50).map { index in
            LoggedExchange(id: "ex_\(index)", time: start.addingTimeInterval(Double(index)), account: "a", keyID: "k",
                           endpoint: "chat.completions", status: 200, line: "{\"id\":\"ex_\(index)\"}")
        }
        try await store.append(Array(batch[25...]))
        try await store.append(Array(batch[..<25]))
        try await store.append(Array(batch[..<5]))  // duplicates are ignored
        #expect(try await store.exchangeCount() == 50)
        let seen = Mutex<[String]>([])
        try await store.forEachExchange(since: start.addingTimeInterval(40)) { exchange in
            seen.withLock { $0.append(exchange.id) }
        }
        #expect(seen.withLock { $0 } == (40..<50).map { "ex_\($0)" })
    }

    @Test func policyDecisionsAreKept() async throws {
        let (store, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await store.record(PolicyDecisionRecord(time: Date(), account: "a", action: "block", reason: "r", exchangeID: "ex_1"))
        try await store.record(PolicyDecisionRecord(time: Date(), account: "b", action: "degrade", reason: "cap"))
        #expect(try await store.decisions(account: "a").map(\.action) == ["block"])
        #expect(try await store.decisions(account: nil).count == 2)
    }
}
