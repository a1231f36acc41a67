/// Which accounts share which key (an IP, a payment fingerprint, a habitual
/// prompt template…): the raw material of the account graph.
///
/// Each account enters at most 48 keys (8 per kind), so the index grows with the number
/// of accounts, not with traffic.
struct KeyIndex: Sendable {
    struct Bucket: Sendable {
        let kind: Signal
        var accounts: [Int32]
    }

    private(set) var buckets: [UInt64: Bucket] = [:]

    mutating func insert(_ key: UInt64, kind: Signal, account: Int32) {
        buckets[key, default: Bucket(kind: kind, accounts: [])].accounts.append(account)
    }
}
