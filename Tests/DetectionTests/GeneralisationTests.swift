import AegisCore
import Foundation
import Simulation
import Testing
@testable import Detection

/// Builds exchanges with system prompts, end users, tools and trajectories.
private struct RichTraffic {
    var exchanges: [Exchange] = []

    mutating func add(_ account: String, at time: Double, prompt: String, system: String? = nil, user: String? = nil,
                      tools: [String] = [], trajectory: Bool = false, maxTokens: Double? = nil, completion: Int = 200,
                      ip: String? = nil, temperature: Double? = nil) {
        var messages: [JSONValue] = []
        if let system { messages.append(["role": "system", "content": .string(system)]) }
        messages.append(["role": "user", "content": .string(prompt)])
        if trajectory {
            messages.append(["role": "assistant", "content": .null,
                             "tool_calls": [["id": "c1", "type": "function", "function": ["name": .string(tools.first ?? "f")]]]])
            messages.append(["role": "tool", "tool_call_id": "c1", "content": "result"])
        }
        var request = JSONObject([(key: "messages", value: .array(messages))])
        if let user { request.append(key: "user", value: .string(user)) }
        if let maxTokens { request.append(key: "max_tokens", value: .number(maxTokens)) }
        if let temperature { request.append(key: "temperature", value: .number(temperature)) }
        if !tools.isEmpty {
            request.append(key: "tools", value: .array(tools.map { name in
                ["type": "function", "function": ["name": .string(name),
                                                  "parameters": ["type": "object", "properties": ["arg_\(name)": ["type": "string"]]]]]
            }))
        }
        exchanges.append(Exchange(
            id: "ex_\(exchanges.count)", time: Date(timeIntervalSince1970: time), account: account,
            client: ClientInfo(ip: ip ?? TrafficBuilder.ownIP(account + "\(exchanges.count)"), userAgent: "ua-\(exchanges.count % 7)", asn: 64500),
            accountMeta: AccountMeta(paymentFingerprint: "pf_\(account)", emailDomain: "gmail.com"),
            model: "m1", request: .object(request),
            response: ExchangeResponse(status: 200, choices: [.init(text: "ok", finishReason: "stop")],
                                       usage: .init(promptTokens: max(1, prompt.utf8.count / 4), completionTokens: completion))))
    }

    func detector() -> CampaignDetector {
        var d = CampaignDetector()
        for e in exchanges.sorted(by: { $0.time < $1.time }) { d.observe(e) }
        return d
    }
}

/// Elicitation of written-out reasoning, worded many ways (none uses a phrase of the lexicon).
private let paraphrasedElicitation = [
    "Before you answer, lay out each thought you have, one after another, exactly as it comes to you.",
    "Walk me through every stage of how you reason about this, then state the result.",
    "I want the entire line of thinking written down, not just the conclusion.",
    "Please write out all the intermediate thinking that leads you to the answer.",
    "Narrate your deliberation in full detail and only then give the final value.",
    "Antes de responder, escribe cada paso de tu razonamiento con todo detalle.",
    "Montre chaque étape de ta réflexion, en entier, avant la réponse.",
    "Zeig mir jeden Schritt deiner Überlegung ausführlich, bevor du antwortest.",
    "Покажи подробно каждый шаг своего рассуждения.",
    "请详细写出你的推理过程，每一步都要。",
]

/// What tutoring apps and ordinary users send.
private let tutoringAndOrdinary = [
    "Explain step by step how to add fractions with different denominators.",
    "Can you show me how to solve 3x + 5 = 20?", "What is photosynthesis? Keep it short.",
    "Help me understand long division, step by step please.", "Why do leaves change colour in autumn?",
    "Give me a hint for this geometry question, not the answer.",
] + ordinaryPrompts

extension SeededGenerator {
    /// Uniform in [0, 1).
    mutating func unitValue() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}

@Suite struct GeneralisationTests {
    let t0 = TrafficBuilder.t0

    @Test func reasoningRequestsAreFoundInAnyWording() {
        let analyzer = TextAnalyzer(hasher: .unkeyed)
        for p in paraphrasedElicitation {
            #expect(analyzer.analyze(p).asksForReasoning, "missed: \(p)")
            // And the old phrase lexicon, which a paraphrasing campaign avoids, misses most of them.
        }
        for p in tutoringAndOrdinary {
            #expect(!analyzer.analyze(p).asksForReasoning, "false match: \(p)")
        }
    }

    @Test func reasoningRequestSignalHighOnHarvestLowOnTutoring() {
        var b = RichTraffic()
        for i in 0..<60 {
            b.add("harvest", at: t0 + Double(i) * 900, prompt: "Problem \(i): find all primes below \(i * 7 + 11). " + paraphrasedElicitation[i % 10])
            b.add("tutor", at: t0 + Double(i) * 900 + 5, prompt: tutoringAndOrdinary[i % tutoringAndOrdinary.count])
        }
        let d = b.detector()
        #expect(d.reading("harvest", .reasoningRequest) > 0.9)
        #expect(d.reading("tutor", .reasoningRequest) == 0)
    }

    @Test func toolEnvironmentPoolSeparatesHarvestersFromAgentDevelopers() {
        var b = RichTraffic()
        for i in 0..<80 {
            // A harvester draws each task's environment from a pool of generated tool sets.
            b.add("harvester", at: t0 + Double(i) * 600, prompt: "Fix the failing test in module \(i).",
                  tools: ["env\(i % 25)_read", "env\(i % 25)_write"], trajectory: true, maxTokens: 32_768, completion: 1500)
            // An agent developer iterates on one agent with one tool set.
            b.add("developer", at: t0 + Double(i) * 600 + 7, prompt: "Fix the failing test in module \(i).",
                  tools: ["read_file", "write_file", "run_tests"], trajectory: true, maxTokens: 4096, completion: 800)
        }
        let d = b.detector()
        #expect(d.reading("harvester", .toolEnvironmentPool) > 0.9)
        #expect(d.reading("developer", .toolEnvironmentPool) == 0)
        #expect(d.reading("harvester", .largeMaxTokens) > 0.9)
        #expect(d.reading("developer", .largeMaxTokens) == 0)
    }

    @Test func aResellerStreamIsScoredOnItsOwn() {
        var b = RichTraffic()
        var rng = SeededGenerator(seed: 5)
        // A reseller: 300 end users, diurnal, ordinary questions; and one customer
        // with its own system prompt asking round the clock for written-out reasoning.
        for i in 0..<1500 {
            let day = Double(i / 500)
            let t = t0 + day * 86_400 + 8 * 3600 + Double(i % 500) * 86 + rng.unitValue() * 30
            b.add("reseller", at: t, prompt: tutoringAndOrdinary[i % tutoringAndOrdinary.count] + " (\(i))",
                  user: "end-user-\(rng.next() % 300)")
        }
        for i in 0..<300 {
            b.add("reseller", at: t0 + Double(i) * 864, prompt: "Item \(i): " + paraphrasedElicitation[i % 10],
                  system: "You are a meticulous solver.", user: "u\(i % 3)", maxTokens: 32_000, completion: 2500)
        }
        let d = b.detector()
        let verdict = try! #require(d.verdicts().account("reseller"))
        let stream = verdict.streams.first
        #expect(stream?.stream.hasPrefix("system:") == true)
        // Streams with fewer than 20 requests (each ordinary end user here) are tracked but not scored.
        #expect(verdict.streams.count >= 1)
        let whole = d.accountScore("reseller")!.value
        #expect(stream!.score > whole + 0.2, "stream \(stream!.score) vs account \(whole)")
        #expect(stream!.flagged)
        #expect(verdict.reasons.contains { $0.detail.hasPrefix("stream system:") })
        // The ordinary end users' streams stay below the threshold.
        #expect(verdict.streams.dropFirst().allSatisfy { !$0.flagged })
    }

    @Test func lowAndSlowAccountsAreLinkedByWhatTheyAskAndWhen() {
        var b = RichTraffic()
        var rng = SeededGenerator(seed: 11)
        // 12 accounts, 15 requests a day for 4 days, each request from its own
        // address, all in the same daily window, the same framing and settings.
        for a in 0..<12 {
            for day in 0..<4 {
                for k in 0..<15 {
                    let t = t0 + Double(day) * 86_400 + 9 * 3600 + Double(k) * 960 + rng.unitValue() * 300
                    b.add("slow\(a)", at: t, prompt: "Problem \(a)-\(day)-\(k): " + paraphrasedElicitation[(a + k) % 10],
                          system: "Solve carefully.", maxTokens: 16_384, completion: 1800, ip: "198.51.\(a).\(day * 15 + k)",
                          temperature: 0.6)
                }
            }
        }
        // Unrelated people at the same hours, with their own habits.
        for a in 0..<12 {
            for k in 0..<40 {
                let t = t0 + Double(k % 4) * 86_400 + Double(6 + a) * 3600 + rng.unitValue() * 7200
                b.add("person\(a)", at: t, prompt: tutoringAndOrdinary[(a + k) % tutoringAndOrdinary.count])
            }
        }
        let v = b.detector().verdicts()
        let slow = v.accounts.filter { $0.account.hasPrefix("slow") }
        let campaigns = Set(slow.compactMap(\.campaign))
        #expect(campaigns.count == 1, "campaigns: \(campaigns)")
        #expect(slow.allSatisfy { $0.flagged })
        #expect(v.accounts.filter { $0.account.hasPrefix("person") }.allSatisfy { v in !v.flagged && v.campaign == nil })
    }

    @Test func calibratedThresholdHoldsTheRateOnBenignTraffic() {
        // The conformal threshold on exchangeable benign scores: the realised
        // rate on fresh benign scores stays within the stated rate (plus
        // binomial noise: 3 standard deviations).
        var rng = SeededGenerator(seed: 21)
        func benign() -> Double { pow(rng.unitValue(), 3) * 0.9 }
        let reference = BenignCalibration(scores: (0..<4000).map { _ in benign() }, source: "test")
        for rate in [0.01, 0.05, 0.1] {
            let t = reference.threshold(forFalsePositiveRate: rate)
            let fresh = (0..<20_000).map { _ in benign() }
            let realised = Double(fresh.filter { $0 >= t }.count) / Double(fresh.count)
            // The guarantee is over the draw of the reference too: allow its noise (n = 4,000) and the fresh sample's.
            #expect(realised <= rate + 3 * sqrt(rate / 4000) + 3 * sqrt(rate / 20_000), "rate \(rate): realised \(realised)")
            #expect(realised >= rate / 3 || t == BenignCalibration.minimumThreshold)
        }
        #expect(reference.pValue(2) == 1.0 / 4001)
        #expect(reference.pValue(-1) == 1)
    }

    @Test func calibrationOnSimulatedBenignAccountsHoldsOnOthers() {
        var options = SimulationOptions()
        options.scenario = .legit
        options.exchanges = 30_000
        options.dataDirectory = nil
        options.seed = 3
        var simulator = TrafficSimulator(options: options)
        var d = CampaignDetector()
        _ = simulator.run { d.observe($0) }
        let scores = d.verdicts().accounts.map(\.score)
        // Half the accounts calibrate, the other half are the fresh benign traffic.
        let reference = BenignCalibration(scores: scores.enumerated().filter { $0.offset % 2 == 0 }.map(\.element), source: "even")
        let held = scores.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let t = reference.threshold(forFalsePositiveRate: 0.05)
        let realised = Double(held.filter { $0 >= t }.count) / Double(held.count)
        #expect(realised <= 0.05 + 3 * sqrt(0.05 * 0.95 / Double(held.count)))
    }

    @Test func badInputIsCountedNeverFatal() throws {
        let lines = [
            #"{"id":"a","time":"2026-11-20T00:00:00Z","account":"x","request":{"model":"m"}}"#,
            #"{"id":"b","time":"2026-11-20T00:00:01Z","account":"x","request":{"messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"1","type":"function","function":{"name":"f"}}]}]}}"#,
            #"{"id":"c","time":"2026-11-20T00:00:02Z","account":"x","request":{"messages":[{"role":"user","content":"hi"}],"max_tokens":1e300}}"#,
            #"{"id":"d","time":"2026-11-20T00:00:03Z","account":"x","request":{"messages":"not a list","max_tokens":-5},"mystery":{"a":1}}"#,
            #"{"id":"e","time":"2026-11-20T00:00:04Z","account":"x","request":{"messages":[{"content":null},{"role":7}],"tools":"nope","user":3}}"#,
        ]
        var d = CampaignDetector()
        for line in lines { d.observe(try Exchange(line: line)) }
        let v = d.verdicts()
        #expect(v.accounts.count == 1)
        #expect(d.exchangesObserved == 5)
        let counts = Dictionary(uniqueKeysWithValues: InputProblems.named.enumerated().map { ($0.element.1, d.inputProblems[$0.offset]) })
        #expect(counts["missing prompt"] == 2)
        #expect(counts["tool calls without results"] == 1)
        #expect(counts["absurd max_tokens"] == 2)
        #expect(counts["unknown fields"] == 1)
    }
}
