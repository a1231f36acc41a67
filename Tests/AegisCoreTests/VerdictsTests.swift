import Foundation
import Testing
@testable import AegisCore

@Suite struct VerdictsTests {
    let verdicts = Verdicts(
        accounts: [
            AccountVerdict(account: "acct_42", flagged: true, score: 0.97, campaign: "cmp_3",
                           reasons: [.init(signal: "template_reuse", value: 0.91, detail: "91% of prompts share 2 templates")]),
            AccountVerdict(account: "acct_7", flagged: false, score: 0.05),
        ],
        campaigns: [
            Campaign(id: "cmp_3", accounts: ["acct_42"], score: 0.99, requests: 18234,
                     firstSeen: Date(timeIntervalSince1970: 1_795_000_000), lastSeen: Date(timeIntervalSince1970: 1_795_086_400),
                     signals: ["shared_payment"]),
        ])

    @Test func writesNullCampaignAndSnakeCase() throws {
        let text = verdicts.jsonText()
        #expect(text.contains(#""campaign":null"#))
        #expect(text.contains(#""first_seen":"2026-11-18T"#))
        let parsed = try JSONParser.parse(text)
        #expect(parsed["accounts"]?.arrayValue?.count == 2)
        let decoded = try JSONDecoder().decode(Verdicts.self, from: Data(text.utf8))
        #expect(decoded == verdicts)
    }

    @Test func foundationEncodingKeepsNull() throws {
        let data = try JSONEncoder().encode(verdicts)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""campaign":null"#))
        #expect(try JSONDecoder().decode(Verdicts.self, from: data) == verdicts)
    }
}
