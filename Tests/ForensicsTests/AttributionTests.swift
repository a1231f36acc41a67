import AegisCore
@testable import Forensics
import Testing
import Watermark

@Suite struct AttributionTests {
    static let accounts = (0..<12).map { "account-\($0)" }
    /// A stand-in for the gateway's account → payload rule: distinct 8-bit values.
    static func payload(_ account: String) -> UInt32 { UInt32(account.split(separator: "-").last.flatMap { Int($0) } ?? 0) * 19 + 5 }

    @Test func holmAdjustsStepDown() {
        let adjusted = Holm.adjusted([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (a, e) in zip(adjusted, expected) { #expect(abs(a - e) < 1e-12) }
        #expect(Holm.adjusted([]) == [])
        #expect(Holm.adjusted([0.9, 0.8]) == [1, 1])
        #expect(Holm.adjusted([0.3, 0.2]).map { ($0 * 1e9).rounded() } == [4e8, 4e8])  // the larger inherits the running maximum
    }

    @Test func nobodyIsNamedUnderTheNull() throws {
        let directory = PayloadDirectory.accounts(Self.accounts, rule: Self.payload)
        var named = 0
        for seed in 0..<10 {
            let scorer = TupleScorer(configuration: Support.configuration(UInt64(50 + seed)))
            var innocent = InnocentPredictor(vocabulary: 3_000)
            let corpus = try ReadingMode.read(texts: Support.texts(count: 10, length: 60, vocabulary: 3_000, seed: 8),
                                              suspect: &innocent, scorer: scorer)
            let report = try ForensicAnalysis(directory: directory).report(corpus, mode: "reading")
            named += report.accountsNamed?.count ?? 0
            #expect(report.payloads?.count == Self.accounts.count)
        }
        #expect(named == 0)
    }

    @Test func theLeakingAccountIsNamedAndNoOther() throws {
        let directory = PayloadDirectory.accounts(Self.accounts, rule: Self.payload)
        let scorer = TupleScorer(configuration: Support.configuration(9))
        var student = StudentPredictor(scorer: scorer, payload: Self.payload("account-7"), vocabulary: 3_000)
        let texts = Support.texts(count: 10, length: 60, vocabulary: 3_000, seed: 10)
        let corpus = try ReadingMode.read(texts: texts, suspect: &student, scorer: scorer)
        let report = try ForensicAnalysis(directory: directory).report(corpus, mode: "reading")
        #expect(report.accountsNamed == ["account-7"])
        #expect(report.pValue < 1e-6)
        #expect(report.payload == Self.payload("account-7"))
        #expect(report.sentence.contains("account-7"))
    }

    @Test func allPayloadsAreTestedWithoutAccounts() throws {
        let directory = try PayloadDirectory.all(bits: 4)
        #expect(directory.payloads.count == 16)
        #expect(throws: ForensicsError.self) { try PayloadDirectory.all(bits: 20) }
    }
}
