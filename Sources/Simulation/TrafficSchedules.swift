#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// When each population sends: daily cycles for people and their apps,
/// sweeps for evaluation jobs, paced bursts round the clock for harvesters.
enum TrafficSchedules {
    /// Relative activity by local hour: people (evenings), apps (their users' day), tutoring (after school).
    static func weight(_ population: Population, hour: Double) -> Double {
        switch population {
        case .appBackend:
            return hour >= 6 ? 0.35 + 0.65 * max(0, sin(Double.pi * (hour - 6) / 18)) : 0.3
        case .tutoring:
            return hour >= 15 && hour < 22 ? 1 : hour >= 8 && hour < 15 ? 0.4 : 0.04
        default:
            if hour < 1 { return 0.3 }
            if hour < 7 { return 0.04 }
            if hour < 18 { return 0.5 }
            return 1
        }
    }

    /// A time in [from, to) drawn from the population's daily cycle in time zone `tz`.
    static func dailyTime(_ r: inout SeededGenerator, _ population: Population, tz: Int, from: Double, to: Double) -> Double {
        for _ in 0..<64 {
            let t = from + r.unit() * (to - from)
            var hour = (t / 3600 + Double(tz)).truncatingRemainder(dividingBy: 24)
            if hour < 0 { hour += 24 }
            if r.unit() < weight(population, hour: hour) { return t }
        }
        return from + r.unit() * (to - from)
    }

    /// Conversation sessions: several turns a minute or few apart.
    static func sessions(_ r: inout SeededGenerator, count: Int, actor: Int32, population: Population, tz: Int,
                         from: Double, to: Double, meanTurns: Double, stepSign: Int32 = 1, varyZone: Bool = false,
                         into events: inout [SimulatedEvent]) {
        var made = 0
        while made < count {
            let zone = varyZone ? r.int(-8...9) : tz
            var t = dailyTime(&r, population, tz: zone, from: from, to: to)
            let turns = max(1, min(count - made, Int(r.exponential(mean: meanTurns).rounded(.up))))
            for turn in 0..<turns {
                events.append(SimulatedEvent(time: t, actor: actor, step: stepSign * Int32(turn + 1)))
                t += 20 + r.exponential(mean: 90)
            }
            made += turns
        }
    }

    /// Independent requests following a daily cycle (app back-ends).
    static func poisson(_ r: inout SeededGenerator, count: Int, actor: Int32, population: Population, tz: Int,
                        from: Double, to: Double, into events: inout [SimulatedEvent]) {
        for i in 0..<count {
            events.append(SimulatedEvent(time: dailyTime(&r, population, tz: tz, from: from, to: to), actor: actor, step: Int32(i)))
        }
    }

    /// Benchmark sweeps: the same items in order, one request every ~2 s.
    static func sweeps(_ r: inout SeededGenerator, count: Int, actor: Int32, from: Double, to: Double,
                       into events: inout [SimulatedEvent]) {
        let sweeps = r.int(1...3)
        let perSweep = max(1, count / sweeps)
        for _ in 0..<sweeps {
            var t = dailyTime(&r, .individual, tz: 0, from: from, to: max(from + 1, to - Double(perSweep) * 2.2))
            for item in 0..<perSweep {
                events.append(SimulatedEvent(time: t, actor: actor, step: Int32(item)))
                t += 2.0 * (1 + 0.1 * r.normal())
            }
        }
    }

    /// Harvesting bursts paced just under a per-minute limit, at any hour.
    static func pacedBursts(_ r: inout SeededGenerator, count: Int, actor: Int32, from: Double, to: Double,
                            limitPerMinute: Double, into events: inout [SimulatedEvent]) {
        var made = 0
        while made < count {
            var t = from + r.unit() * (to - from)
            let size = min(count - made, r.int(10...40))
            let rate = limitPerMinute * (0.85 + 0.1 * r.unit())
            for _ in 0..<size {
                events.append(SimulatedEvent(time: t, actor: actor, step: Int32(made)))
                t += 60 / rate * (0.9 + 0.2 * r.unit())
                made += 1
            }
        }
    }
}
