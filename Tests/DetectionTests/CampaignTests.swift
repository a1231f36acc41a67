import AegisCore
import Foundation
import Testing
@testable import Detection

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
