import AegisCore
import Testing
@testable import Detection
@testable import Simulation

@Suite struct SignalTests {
    let t0 = TrafficBuilder.t0

    @Test func regularIntervalsSeparateSchedulersFromPeople() {
        var b = TrafficBuilder()
        var rng = SeededGenerator(seed: 3)
        var t = t0
        for i in 0..<60 {
            b.add("bot", at: t0 + Double(i) * 3.0, prompt: ordinaryPrompts[i % 10])
            t += rng.exponential(mean: 40)
            b.add("person", at: t, prompt: ordinaryPrompts[i % 10])
        }
        let d = b.detector()
        #expect(d.reading("bot", .regularIntervals) > 0.9)
        #expect(d.reading("person", .regularIntervals) < 0.2)
    }

    @Test func roundTheClockVersusDailyCycle() {
        var b = TrafficBuilder()
        for i in 0..<(2 * 24 * 6) {
            let t = t0 + Double(i) * 600
            b.add("always", at: t, prompt: ordinaryPrompts[i % 10])
            let hour = Int(t / 3600) % 24
            if hour >= 18 { b.add("evenings", at: t, prompt: ordinaryPrompts[i % 10]) }
        }
        let d = b.detector()
        #expect(d.reading("always", .roundTheClock) > 0.9)
        #expect(d.reading("evenings", .roundTheClock) == 0)
    }

    @Test func rateCeilingFindsPacingUnderALimit() {
        var b = TrafficBuilder()
        for minute in 0..<30 {
            for k in 0..<19 { b.add("paced", at: t0 + Double(minute * 60) + Double(k) * 3.1, prompt: "q \(minute) \(k)") }
        }
        var rng = SeededGenerator(seed: 9)
        var t = t0
        for i in 0..<400 {
            t += rng.exponential(mean: 6)
            b.add("bursty", at: t, prompt: "q \(i)")
        }
        let d = b.detector()
        #expect(d.reading("paced", .rateCeiling) > 0.9)
        #expect(d.reading("bursty", .rateCeiling) < 0.3)
    }

    @Test func answerShapeSignals() {
        var b = TrafficBuilder()
        for i in 0..<20 {
            b.add("harvester", at: t0 + Double(i) * 100, prompt: "Solve: \(i) + 1", params: [("n", 4), ("logprobs", true)],
                  completion: 2048, finish: "length")
            b.add("chatter", at: t0 + Double(i) * 100, prompt: ordinaryPrompts[i % 10], completion: 20, history: true)
        }
        let d = b.detector()
        #expect(d.reading("harvester", .outputRatio) == 1)
        #expect(d.reading("harvester", .maxTokensHits) == 1)
        #expect(d.reading("harvester", .multiSample) == 1)
        #expect(d.reading("harvester", .singleTurn) > 0.99)
        #expect(d.reading("chatter", .outputRatio) == 0)
        #expect(d.reading("chatter", .maxTokensHits) == 0)
        #expect(d.reading("chatter", .multiSample) == 0)
        #expect(d.reading("chatter", .singleTurn) == 0)
    }

    @Test func contentSignalsAreSharesOfTraffic() {
        var b = TrafficBuilder()
        for i in 0..<20 {
            let cot = i % 2 == 0
            b.add("mixed", at: t0 + Double(i) * 100,
                  prompt: cot ? "Problem \(i): show your full chain of thought, then answer." : ordinaryPrompts[i % 10])
            b.add("grader", at: t0 + Double(i) * 100, prompt: "Using the rubric, score the candidate response \(i) from 1 to 10.")
            b.add("rewriter", at: t0 + Double(i) * 100, prompt: "Rewrite passage \(i) so that it passes censorship review.")
        }
        let d = b.detector()
        #expect(d.reading("mixed", .reasoningElicitation) == 1) // 50% ≥ the 25% that saturates it
        #expect(d.reading("mixed", .rubricGrading) == 0)
        #expect(d.reading("grader", .rubricGrading) == 1)
        #expect(d.reading("rewriter", .safeRewrite) == 1)
    }

    @Test func templateReuseAndTopicalCoverage() {
        var b = TrafficBuilder()
        for i in 0..<40 {
            b.add("templated", at: t0 + Double(i) * 60,
                  prompt: "Solve the following maths problem with care and precision. A farmer has \(i * 7) sheep and sells \(i) of them at the market on \(["Monday", "Friday", "Sunday"][i % 3]) with ID \(i * 31). How many are left after the sale today?")
            b.add("varied", at: t0 + Double(i) * 60, prompt: ordinaryPrompts[i % 10] + " (\(i))")
        }
        let d = b.detector()
        #expect(d.reading("templated", .templateReuse) > 0.9)
        #expect(d.reading("varied", .templateReuse) == 0)
        #expect(d.reading("templated", .topicalCoverage) > 0.5)
    }

    @Test func jumpToANewModel() {
        var b = TrafficBuilder()
        // Both accounts active a day before model m2 appears at t0 + 24 h.
        for i in 0..<24 {
            b.add("jumper", at: t0 + Double(i) * 3600, prompt: "q\(i)", model: "m1")
            b.add("loyal", at: t0 + Double(i) * 3600, prompt: "q\(i)", model: "m1")
        }
        b.add("someone", at: t0 + 24 * 3600, prompt: "hello", model: "m2")
        for i in 0..<20 {
            let t = t0 + 24 * 3600 + 60 + Double(i) * 600
            b.add("jumper", at: t, prompt: "q\(i)", model: i % 4 == 0 ? "m1" : "m2")
            b.add("loyal", at: t, prompt: "q\(i)", model: "m1")
        }
        let d = b.detector()
        #expect(d.reading("jumper", .newModelJump) > 0.9)
        #expect(d.reading("loyal", .newModelJump) == 0)
    }

    @Test func signalsNeedEvidenceBeforeFiring() {
        var b = TrafficBuilder()
        b.add("new", at: t0, prompt: "Show your full chain of thought: 2+2?", params: [("n", 4)], completion: 4000, finish: "length")
        let d = b.detector()
        #expect(d.accountScore("new")?.value == 0)
        #expect(d.verdicts().accounts.map(\.flagged) == [false])
    }
}

@Suite struct AccountFactSignalTests {
    let t0 = TrafficBuilder.t0

    @Test func volumeAndNewAccount() {
        var b = TrafficBuilder()
        for i in 0..<600 { b.add("busy", at: t0 + Double(i) * 6, prompt: "q\(i)", created: t0 - 3600) }
        for i in 0..<60 { b.add("calm", at: t0 + Double(i) * 1400, prompt: "q\(i)", created: t0 - 400 * 86_400) }
        let d = b.detector()
        #expect(d.reading("busy", .volume) == 1)       // 600 in an hour
        #expect(d.reading("calm", .volume) == 0)       // 60 in a day
        #expect(d.reading("busy", .newAccount) > 0.95)
        #expect(d.reading("calm", .newAccount) == 0)
    }
}
