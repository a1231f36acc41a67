import AegisCore
@testable import Forensics
import Testing
import Watermark

@Suite struct CorpusTests {
    @Test func everyTupleIsScoredOnceAcrossTheCorpus() {
        let scorer = TupleScorer(configuration: Support.configuration())
        let text = Support.texts(count: 1, length: 200, vocabulary: 5_000, seed: 3)[0]
        var corpus = TupleCorpus(scorer: scorer)
        corpus.add(text: text)
        let once = corpus.count
        #expect(once > 150)
        corpus.add(text: text)  // the same answer again, as a second account would send it
        #expect(corpus.count == once)
        #expect(corpus.duplicates == once)
        #expect(corpus.statistic(payload: 0) == corpus.statistics.reduce(0, +))
    }

    @Test func selfHashWindowsThatSeedTheSameInputAreOneTuple() {
        // SelfHash's seed is the minimum hash over the window and the token, so a window
        // in another order is the same PRF input: deduplication must see one tuple.
        let window: [TokenID] = [11, 22, 33, 44], token: TokenID = 55
        let selfHash = TupleScorer(configuration: Support.configuration(seeding: .selfHash))
        #expect(selfHash.identity(window: window, token: token) == selfHash.identity(window: window.reversed(), token: token))
        var corpus = TupleCorpus(scorer: selfHash)
        corpus.add(window: window, token: token)
        let addedAgain = corpus.add(window: window.reversed(), token: token)
        #expect(!addedAgain)
        // LeftHash hashes the window in order: there they are two inputs.
        let leftHash = TupleScorer(configuration: Support.configuration(seeding: .leftHash))
        #expect(leftHash.identity(window: window, token: token) != leftHash.identity(window: window.reversed(), token: token))
    }

    @Test func distinctInputsHaveDistinctIdentities() {
        // The identity is the PRF input: if it ever collapsed (say to the green bit)
        // deduplication would select on the score and the test would be invalid.
        for scheme in WatermarkScheme.allCases {
            let scorer = TupleScorer(configuration: Support.configuration(scheme: scheme, seeding: .leftHash))
            var identities = Set<PRFInput>()
            for first in 0..<500 { identities.insert(scorer.identity(window: [TokenID(first), 1, 2, 3], token: 9)) }
            #expect(identities.count == 500, "\(scheme)")
        }
    }

    @Test func promptWindowsAreExcluded() {
        let scorer = TupleScorer(configuration: Support.configuration())
        let prompt = Support.texts(count: 1, length: 60, vocabulary: 5_000, seed: 4)[0]
        let answer = prompt + Support.texts(count: 1, length: 60, vocabulary: 5_000, seed: 5)[0]
        var corpus = TupleCorpus(scorer: scorer)
        corpus.exclude(text: prompt)
        corpus.add(text: answer)
        #expect(corpus.excludedHits == prompt.count - scorer.contextWidth)
        #expect(corpus.count == answer.count - scorer.contextWidth - corpus.excludedHits - corpus.duplicates)
    }

    @Test func theUnshiftedStatisticMatchesTheDetector() throws {
        // One text tested by the corpus and by WatermarkDetector gives the same count.
        for scheme in WatermarkScheme.allCases {
            let configuration = Support.configuration(scheme: scheme)
            let text = Support.texts(count: 1, length: 120, vocabulary: 5_000, seed: 6)[0]
            var corpus = TupleCorpus(scorer: TupleScorer(configuration: configuration))
            corpus.add(text: text)
            let verdict = try WatermarkDetector(configuration: configuration).detect(tokens: text)
            #expect(corpus.count == verdict.scoredTokens)
            let trials = Double(corpus.count * corpus.scorer.trialsPerTuple)
            #expect(abs(corpus.statistic(payload: 0) / trials - verdict.score) < 1e-9, "\(scheme)")
        }
    }

    @Test func pValuesAreValidUnderTheNullOverManyKeys() throws {
        // Texts written without the key, with many repeated windows (a 40-token vocabulary):
        // over 200 keys the corpus p-value must not be small more often than its level.
        let texts = Support.texts(count: 20, length: 40, vocabulary: 40, seed: 7)
        for scheme in WatermarkScheme.allCases {
            var small = 0
            for seed in 0..<200 {
                var corpus = TupleCorpus(scorer: TupleScorer(configuration: Support.configuration(UInt64(1_000 + seed), scheme: scheme)))
                for text in texts { corpus.add(text: text) }
                let report = try ForensicAnalysis(directory: .none).report(corpus, mode: "probe")
                if report.pValue < 0.1 { small += 1 }
            }
            #expect(small <= 32, "\(scheme): \(small) of 200 keys gave p < 0.1")
        }
    }
}
