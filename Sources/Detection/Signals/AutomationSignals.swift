#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals that a program, not a person, drives the traffic. Each needs a
/// minimum of evidence before it reads above 0, so a new account starts clean.
enum AutomationSignals {
    static func evaluate(_ s: ActivitySummary) -> [SignalReading] {
        let c = s.counters
        let n = Double(c.requests)
        var out: [SignalReading] = []

        // Volume: requests per day over the span seen (at least one hour).
        if c.requests >= 50 {
            let days = max((s.lastSeen - s.firstSeen) / 86_400, 1.0 / 24)
            let perDay = n / days
            out.append(SignalReading(.volume, log10(perDay / 200) / 1.5,
                                     "\(Int(n)) requests in \(format(days)) days (\(Int(perDay))/day)"))
        }

        // Rate ceiling: most busy minutes sit at the account's own peak, as when a
        // client paces itself just under a per-minute limit; a person's or a
        // population's load peaks rarely.
        var active = 0.0
        var peak = 0
        for k in 0..<64 where c.minuteLoads[k] > 0 {
            active += Double(c.minuteLoads[k])
            if c.minuteLoads[k] >= 2 { peak = k + 1 }
        }
        if active >= 20, peak >= 5 {
            let floor = Int((0.85 * Double(peak)).rounded(.up))
            var atPeak = 0.0
            for k in (floor - 1)..<64 { atPeak += Double(c.minuteLoads[k]) }
            let share = atPeak / active
            out.append(SignalReading(.rateCeiling, (share - 0.2) / 0.5,
                                     "\(percent(share)) of \(Int(active)) active minutes at \(floor)–\(peak) requests/min"))
        }

        // Round the clock: hours of day used evenly (normalised entropy), over a day or more.
        if c.requests >= 48, s.lastSeen - s.firstSeen >= 20 * 3600 {
            var entropy = 0.0
            for h in 0..<24 where c.hours[h] > 0 {
                let p = Double(c.hours[h]) / n
                entropy -= p * log(p)
            }
            let even = entropy / log(24.0)
            let quiet = (0..<24).filter { Double(c.hours[$0]) < n / 24 / 4 }.count
            out.append(SignalReading(.roundTheClock, (even - 0.9) / 0.07,
                                     "active in every hour of the day (evenness \(format(even)), \(quiet) quiet hours)"))
        }

        // Regular intervals: gaps of a person or of a population are spread
        // widely (log-gap s.d. ≈ 1.3 for random arrivals); a scheduler's are not.
        if c.gaps >= 20 {
            let g = Double(c.gaps)
            let mean = c.logGapSum / g
            let sd = sqrt(max(0, c.logGapSquares / g - mean * mean))
            out.append(SignalReading(.regularIntervals, (0.8 - sd) / 0.6,
                                     "gaps of \(format(exp(mean)))s with log-spread \(format(sd)) over \(c.gaps) gaps"))
        }

        if c.requests >= 20 {
            let single = 1 - Double(c.multiTurn) / n
            out.append(SignalReading(.singleTurn, (single - 0.9) / 0.1, "\(percent(single)) of requests single-turn"))
        }

        if c.requests >= 10 {
            let share = Double(c.reused) / n
            out.append(SignalReading(.templateReuse, (share - 0.3) / 0.5,
                                     "\(percent(share)) of prompts reuse an earlier template or near-duplicate"))
        }

        if let lead = s.creationLead, lead >= 0 {
            out.append(SignalReading(.newAccount, 1 - lead / (3 * 86_400),
                                     "first request \(format(lead / 3600)) h after the account was created"))
        }
        return out
    }
}

func percent(_ x: Double) -> String {
    "\(Int((x * 100).rounded()))%"
}

func format(_ x: Double) -> String {
    guard x.isFinite else { return "?" }
    let r = (x * 100).rounded() / 100
    return r == r.rounded() ? String(Int(r)) : String(r)
}
