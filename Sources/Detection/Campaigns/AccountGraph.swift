#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Weighted edges between accounts that share keys, and their clusters.
///
/// Candidate pairs come from the key index: every pair within a small bucket,
/// and chain plus star pairs within a large one (so the graph stays linear in
/// the index). Each candidate's weight is then computed exactly from the keys
/// the two accounts share — each kind of key counted once, at its weight —
/// so weak evidence of different kinds (a template and a sign-up burst) adds
/// up on the same pair. Keys that many unrelated accounts share (a popular
/// user agent, a big ISP subnet) are discounted by an inverse document
/// frequency; payment, IP and template keys are not, since a thousand
/// accounts on one card or one proxy is exactly what is sought.
struct AccountGraph {
    /// Buckets up to this size contribute all their pairs.
    static let completeBucketSize = 32

    private(set) var edges: [UInt64: (weight: Double, kinds: UInt64)] = [:]
    let accountCount: Int

    init(accountCount: Int) {
        self.accountCount = accountCount
    }

    static func kindIndex(_ s: Signal) -> Int {
        Signal.allCases.firstIndex(of: s) ?? 0
    }

    static func kindBit(_ s: Signal) -> UInt64 {
        1 << UInt64(kindIndex(s))
    }

    static func kinds(in mask: UInt64) -> [Signal] {
        Signal.allCases.enumerated().filter { mask & (1 << UInt64($0.offset)) != 0 }.map(\.element)
    }

    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(min(a, b))) << 32 | UInt64(UInt32(max(a, b)))
    }

    /// The weight one shared key adds, given how many accounts share it.
    static func keyWeight(kind: Signal, base: Double, bucketSize: Int, accountCount: Int) -> Double {
        switch kind {
        case .sharedPayment, .templateCluster, .correlatedActivity, .sharedWindow:
            return base
        // An address shared by more than a bucket's worth of accounts is discounted
        // like the rest: commercial VPN exits are shared by many unrelated people.
        case .sharedIP where bucketSize <= completeBucketSize:
            return base
        default:
            let n = Double(max(accountCount, 3))
            return base * max(0, min(1, log(n / Double(max(bucketSize, 2))) / log(n / 2)))
        }
    }

    /// Builds the graph from the key index and each account's indexed keys.
    init(index: KeyIndex, accountKeys: [[UInt64]], weights: [Signal: Double]) {
        self.init(accountCount: accountKeys.count)
        var candidates = Set<UInt64>()
        for bucket in index.buckets.values where bucket.accounts.count >= 2 {
            let m = bucket.accounts
            if m.count <= Self.completeBucketSize {
                for i in 0..<m.count { for j in (i + 1)..<m.count where m[i] != m[j] { candidates.insert(Self.pairKey(m[i], m[j])) } }
            } else {
                for i in 1..<m.count where m[i] != m[i - 1] {
                    candidates.insert(Self.pairKey(m[i - 1], m[i]))
                    if m[i] != m[0] { candidates.insert(Self.pairKey(m[0], m[i])) }
                }
            }
        }
        for pair in candidates {
            let a = Int(pair >> 32), b = Int(pair & 0xFFFF_FFFF)
            var best = [Double](repeating: 0, count: Signal.allCases.count)
            for key in accountKeys[a] where accountKeys[b].contains(key) {
                guard let bucket = index.buckets[key] else { continue }
                let w = Self.keyWeight(kind: bucket.kind, base: weights[bucket.kind] ?? bucket.kind.defaultWeight,
                                       bucketSize: bucket.accounts.count, accountCount: accountCount)
                let k = Self.kindIndex(bucket.kind)
                best[k] = max(best[k], w)
            }
            var total = 0.0
            var mask: UInt64 = 0
            for (k, w) in best.enumerated() where w > 0 {
                total += w
                mask |= 1 << UInt64(k)
            }
            if total > 0 { edges[pair] = (total, mask) }
        }
    }

    /// Adds evidence of one kind to a pair (once per kind).
    mutating func addEdge(_ a: Int32, _ b: Int32, _ w: Double, _ bit: UInt64) {
        let key = Self.pairKey(a, b)
        let old = edges[key] ?? (0, 0)
        guard old.kinds & bit == 0 else { return }
        edges[key] = (old.weight + w, old.kinds | bit)
    }

    /// Clusters of two or more accounts joined by edges of at least `threshold`,
    /// with the kinds of key on their joining edges.
    func clusters(threshold: Double) -> [(members: [Int32], kinds: UInt64)] {
        var sets = UnionFind(count: accountCount)
        for (key, e) in edges where e.weight >= threshold {
            sets.union(Int(key >> 32), Int(key & 0xFFFF_FFFF))
        }
        var byRoot: [Int: (members: [Int32], kinds: UInt64)] = [:]
        for (key, e) in edges where e.weight >= threshold {
            let root = sets.find(Int(key >> 32))
            byRoot[root, default: ([], 0)].kinds |= e.kinds
        }
        for a in 0..<accountCount {
            let root = sets.find(a)
            byRoot[root]?.members.append(Int32(a))
        }
        return byRoot.values.filter { $0.members.count >= 2 }.sorted { $0.members[0] < $1.members[0] }
    }
}
