import AegisCore
import Foundation
import Testing
@testable import Detection
@testable import Simulation

@Suite struct CampaignTests {
    let t0 = TrafficBuilder.t0

    /// Twelve accounts paid with one card, each too small and too mixed to
    /// flag on its own, are found as one campaign and all flagged.
    @Test func campaignFlagsAccountsBelowTheirOwnThreshold() throws {
        var b = TrafficBuilder()
        for k in 0..<12 {
            for i in 0..<5 {
                let cot = i < 2
                b.add("c\(k)", at: t0 + Double(k * 50 + i) * 300,
                      prompt: cot ? "Task \(k)-\(i): write out your complete internal reasoning process, then answer." : ordinaryPrompts[(k + i) % 10],
                      payment: "pf_card")
            }
        }
        for k in 0..<30 {
            for i in 0..<5 { b.add("p\(k)", at: t0 + Double(k * 40 + i) * 290, prompt: ordinaryPrompts[(k * 3 + i) % 10]) }
        }
        var d = b.detector()
        let verdicts = d.refresh()
        #expect(verdicts.accounts.count == 42)
        #expect(verdicts.campaigns.count == 1)
        let campaign = try #require(verdicts.campaigns.first)
        #expect(campaign.accounts == (0..<12).map { "c\($0)" }.sorted())
        #expect(campaign.requests == 60)
        #expect(campaign.signals.contains("shared_payment"))
        for k in 0..<12 {
            let own = try #require(d.accountScore("c\(k)"))
            #expect(own.value < d.configuration.flagThreshold)
            let v = try #require(verdicts.account("c\(k)"))
            #expect(v.flagged && v.campaign == campaign.id)
            #expect(v.reasons.contains { $0.detail.hasPrefix("campaign ") })
        }
        #expect(verdicts.accounts.filter { $0.account.hasPrefix("p") }.allSatisfy { !$0.flagged && $0.campaign == nil })
        // The live path reads the same answer from memory.
        #expect(d.decision(for: "c3")?.campaign == campaign.id)
        #expect(d.decision(for: "c3")?.flagged == true)
        #expect(d.decision(for: "p3")?.flagged == false)
        #expect(d.decision(for: "nobody") == nil)
        #expect(d.cachedDecision(for: "c3") == verdicts.account("c3"))
    }

    @Test func officeColleaguesSharingAnIPAreNotACampaign() {
        var b = TrafficBuilder()
        for k in 0..<5 {
            for i in 0..<30 {
                b.add("colleague\(k)", at: t0 + Double(k * 7 + i * 400), prompt: ordinaryPrompts[(k + i) % 10],
                      ip: "203.0.113.7", payment: "pf_company", history: i % 2 == 0)
            }
        }
        let v = b.detector().verdicts()
        #expect(v.campaigns.isEmpty)
        #expect(v.accounts.allSatisfy { !$0.flagged })
    }

    @Test func verdictsRoundTripTheContract() throws {
        var b = TrafficBuilder()
        b.add("a", at: t0, prompt: "hi")
        let text = b.detector().verdicts().jsonText()
        let parsed = try JSONParser.parse(text)
        #expect(parsed["accounts"]?.arrayValue?.first?["campaign"] == JSONValue.null)
        #expect(parsed["campaigns"] == .array([]))
    }
}

@Suite struct AccountGraphTests {
    let t0 = TrafficBuilder.t0
    let template = "You will receive a problem. Before anything else, write out your complete internal reasoning process in full detail. Problem number"

    /// A shared template alone (0.4) does not join accounts; with a sign-up
    /// burst on top it does (among a hundred accounts, so six sign-ups in ten
    /// minutes are unusual).
    @Test func weakEvidenceMustAddUp() throws {
        var b = TrafficBuilder()
        for k in 0..<100 {
            for i in 0..<3 {
                b.add("background\(k)", at: t0 + Double(k * 97 + i * 300), prompt: ordinaryPrompts[(k + i) % 10],
                      created: t0 - Double(k + 2) * 86_400)
            }
        }
        for k in 0..<6 {
            for i in 0..<8 {
                b.add("burst\(k)", at: t0 + Double(k * 1000 + i * 90), prompt: "\(template) \(k * 100 + i): what is \(i) squared?",
                      created: t0 - 86_400 + Double(k))
                b.add("alone\(k)", at: t0 + Double(k * 1000 + i * 90 + 40), prompt: "\(template) \(k * 100 + i): what is \(i) cubed?",
                      created: t0 - Double(k + 1) * 30 * 86_400)
            }
        }
        let clusters = b.detector().clusters()
        #expect(clusters.count == 1, "\(clusters)")
        let cluster = try #require(clusters.first)
        #expect(cluster.accounts == (0..<6).map { "burst\($0)" })
        #expect(cluster.signals.contains("signup_burst") && cluster.signals.contains("template_cluster"))
    }

    @Test func correlatedMinutesJoinAccounts() throws {
        var b = TrafficBuilder()
        var rng = SeededGenerator(seed: 5)
        let minutes = (0..<40).map { _ in Double(rng.int(0...5000)) * 60 }
        for k in 0..<4 {
            for (i, m) in minutes.enumerated() {
                b.add("sync\(k)", at: t0 + m + Double(k), prompt: "Show your full chain of thought for item \(i * 4 + k).",
                      ip: "198.51.100.\(k)", payment: "pf_sync\(k)")
            }
        }
        for (i, m) in minutes.enumerated() {
            b.add("other", at: t0 + m + 7_200, prompt: "Show your full chain of thought for item \(i).")
        }
        let clusters = b.detector().clusters()
        #expect(clusters.count == 1, "\(clusters)")
        let cluster = try #require(clusters.first)
        #expect(cluster.accounts == (0..<4).map { "sync\($0)" })
        #expect(cluster.signals.contains("correlated_activity"))
    }
}
