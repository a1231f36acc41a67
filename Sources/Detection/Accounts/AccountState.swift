/// Everything the detector remembers about one account: counters and
/// fixed-size sketches, a few hundred bytes however much the account sends.
struct AccountState: Sendable {
    let name: String
    var counters = ActivityCounters()
    /// Requests ever seen (not decayed), for campaign totals.
    var lifetimeRequests = 0
    var firstSeen: Double
    var lastSeen: Double
    var created: Double?
    /// Prompt-template keys (prefix, suffix, LSH bands) by frequency.
    var templates = TopCounts(capacity: 32)
    /// Sampling-parameter fingerprints by frequency.
    var fingerprints = TopCounts(capacity: 4)
    /// Distinct prompts (content hashes).
    var distinct = DistinctCounter()
    /// The minutes in which the account was active, as a MinHash (correlated activity).
    var activeMinutes = MinHash()
    var currentMinute: Int64 = .min
    var currentMinuteLoad: UInt16 = 0
    /// Distinct tool environments (fingerprints of tool definitions) seen.
    var toolSchemas = DistinctCounter()
    /// The hours (since 1970) in which the account was active, as a MinHash (shared working windows).
    var activeHours = MinHash()
    var currentHour: Int64 = .min
    var activeHourCount: UInt32 = 0
    /// What-is-asked keys (``ExchangeFeatures/workKey``) by frequency.
    var work = TopCounts(capacity: 4)
    /// The account's streams (system prompt, end user), once it has more than one.
    var streams = StreamSet()
    /// Shared keys already entered in the detector's key index.
    var registeredKeys: [UInt64] = []
    /// The first model the account used (hash), to tell a switch from a first choice.
    var firstModel: String?

    init(name: String, time: Double) {
        self.name = name
        firstSeen = time
        lastSeen = time
    }

    /// Counts one exchange. Returns the template keys that just became habitual
    /// for this account (seen three times), for the cross-account index.
    mutating func observe(_ f: ExchangeFeatures, window: UInt32, habitual: inout [UInt64]) {
        if counters.requests >= window { counters.halve(); templates.decay() }
        if streams.needsSeed(for: f.stream) {
            streams.seed(StreamState(key: streams.firstKey, name: streams.firstName, counters: settledCounters, distinct: distinct,
                                     firstSeen: firstSeen, lastSeen: lastSeen))
        }
        streams.observe(f, window: window, accountRequests: lifetimeRequests)
        lifetimeRequests += 1

        let gap = f.time - lastSeen
        if lifetimeRequests > 1, gap >= 0, gap < 600 {
            let g = log(max(gap, 0.05))
            counters.gaps &+= 1
            counters.logGapSum += g
            counters.logGapSquares += g * g
        }
        if f.time > lastSeen { lastSeen = f.time }
        if f.time < firstSeen { firstSeen = f.time }
        if created == nil { created = f.accountCreated }
        if firstModel == nil { firstModel = f.model }

        counters.count(f)
        if f.toolSchema != 0 { toolSchemas.add(f.toolSchema) }
        let hourSlot = Int64((f.time / 3600).rounded(.down))
        if hourSlot != currentHour {
            currentHour = hourSlot
            activeHourCount &+= 1
            activeHours.add(KeyedHash.unkeyed.hash(UInt64(bitPattern: hourSlot) ^ 0x686F_7572))
        }

        let minute = Int64((f.time / 60).rounded(.down))
        if minute != currentMinute {
            flushMinute()
            currentMinute = minute
            activeMinutes.add(KeyedHash.unkeyed.hash(UInt64(bitPattern: minute)))
        }
        if currentMinuteLoad < .max { currentMinuteLoad += 1 }

        distinct.add(f.text.contentHash)
        fingerprints.add(f.samplingFingerprint)

        // Template keys: prefix, suffix and (for prompts long enough to have a
        // template and a variable part) the LSH bands. Short prompts ("thanks,
        // make it shorter") recur across unrelated people and are left out.
        var keys = SIMD8<UInt64>(repeating: 0)
        keys[0] = f.text.prefixKey
        keys[1] = f.text.suffixKey
        if f.text.words > 2 * TextAnalyzer.templateWords {
            let bands = f.text.shingles.bandKeys
            for b in 0..<4 { keys[2 + b] = bands[b] }
        }
        var reused = false
        for k in 0..<6 where keys[k] != 0 {
            let before = templates.add(keys[k])
            if before >= 1 { reused = true }
            if before == 2 { habitual.append(keys[k]) }
        }
        if reused { counters.reused &+= 1 }
    }

    /// Moves the open minute's load into the histogram.
    mutating func flushMinute() {
        guard currentMinuteLoad > 0 else { return }
        let bin = Int(min(currentMinuteLoad, 64)) - 1
        if counters.minuteLoads[bin] < .max { counters.minuteLoads[bin] += 1 }
        currentMinuteLoad = 0
    }

    /// The counters including the minute still open.
    var settledCounters: ActivityCounters {
        var c = counters
        if currentMinuteLoad > 0 {
            let bin = Int(min(currentMinuteLoad, 64)) - 1
            if c.minuteLoads[bin] < .max { c.minuteLoads[bin] += 1 }
        }
        return c
    }

    /// Keys of one kind an account may enter in the index (a hydra account
    /// rotating through a proxy pool enters its first eight IPs).
    static let keysPerKind = 8
    /// Keys in all.
    static let maximumKeys = 64

    /// Remembers that a shared key was indexed; false when it already was, or
    /// its kind (top six bits) or the list is full.
    mutating func register(_ key: UInt64) -> Bool {
        guard key != 0, registeredKeys.count < Self.maximumKeys, !registeredKeys.contains(key) else { return false }
        let kind = key >> 58
        var sameKind = 0
        for k in registeredKeys where k >> 58 == kind { sameKind += 1 }
        guard sameKind < Self.keysPerKind else { return false }
        registeredKeys.append(key)
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
