#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Weighted edges between accounts that share keys, and their clusters.
///
/// A bucket of k accounts adds k−1 chain edges and k−1 star edges (to its first
/// member) rather than k² pairs, so the graph stays linear in the index; the
/// members are sorted, so two buckets holding the same accounts add to the
/// same edges and their weights sum (once per kind of key). Keys that many unrelated accounts share
/// (a popular user agent, a big ISP subnet) are discounted by an inverse
/// document frequency; payment, IP and template keys are not, since a
/// thousand accounts on one card or one proxy is exactly what is sought.
struct AccountGraph {
    private(set) var edges: [UInt64: (weight: Double, kinds: UInt32)] = [:]
    let accountCount: Int

    init(accountCount: Int) {
        self.accountCount = accountCount
    }

    static func kindBit(_ s: Signal) -> UInt32 {
        1 << UInt32(Signal.allCases.firstIndex(of: s) ?? 0)
    }

    static func kinds(in mask: UInt32) -> [Signal] {
        Signal.allCases.enumerated().filter { mask & (1 << UInt32($0.offset)) != 0 }.map(\.element)
    }

    mutating func add(bucket members: [Int32], kind: Signal, weight: Double) {
        guard members.count >= 2 else { return }
        var w = weight
        switch kind {
        case .sharedPayment, .sharedIP, .templateCluster, .correlatedActivity: break
        default:
            let n = Double(max(accountCount, 3))
            w *= max(0, min(1, log(n / Double(members.count)) / log(n / 2)))
        }
        guard w > 0 else { return }
        let sorted = Array(Set(members)).sorted()
        guard sorted.count >= 2 else { return }
        let bit = Self.kindBit(kind)
        for i in 1..<sorted.count {
            addEdge(sorted[i - 1], sorted[i], w, bit)
            if i > 1 { addEdge(sorted[0], sorted[i], w, bit) }
        }
    }

    mutating func addEdge(_ a: Int32, _ b: Int32, _ w: Double, _ bit: UInt32) {
        let key = UInt64(UInt32(min(a, b))) << 32 | UInt64(UInt32(max(a, b)))
        let old = edges[key] ?? (0, 0)
        // Each kind of key counts once per pair: one shared template seen through
        // its prefix, suffix and LSH bands is still one piece of evidence.
        guard old.kinds & bit == 0 else { return }
        edges[key] = (old.weight + w, old.kinds | bit)
    }

    /// Clusters of two or more accounts joined by edges of at least `threshold`,
    /// with the kinds of key on their joining edges.
    func clusters(threshold: Double) -> [(members: [Int32], kinds: UInt32)] {
        var sets = UnionFind(count: accountCount)
        for (key, e) in edges where e.weight >= threshold {
            sets.union(Int(key >> 32), Int(key & 0xFFFF_FFFF))
        }
        var byRoot: [Int: (members: [Int32], kinds: UInt32)] = [:]
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
