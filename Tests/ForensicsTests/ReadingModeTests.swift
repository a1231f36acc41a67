import AegisCore
import Foundation
@testable import Forensics
import Inference
import Testing
import Watermark

@Suite struct ReadingModeTests {
    @Test func theTinyModelsOwnTopPredictionIsScored() throws {
        let path = try TinyModelFile().write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var suspect = try SuspectModel(path: path, reference: try GGUFFile(path: path), threads: 1)
        var generator = SeededGenerator(seed: 11)
        let text = (0..<60).map { _ in TinyModelFile.alphabet.randomElement(using: &generator)! }
        let predictions = try suspect.topPredictions(text)
        #expect(predictions == text.map(TinyModelFile.successor))

        let scorer = TupleScorer(configuration: Support.configuration(scheme: .kgw, seeding: .leftHash))
        let corpus = try ReadingMode.read(texts: [text], suspect: &suspect, scorer: scorer)
        // Expected: (window, successor of the window's last token), minus the text's own
        // tuples, each PRF input once.
        let h = scorer.contextWidth
        var excluded = Set<PRFInput>(), seen = Set<PRFInput>(), expected: [TokenID] = []
        for i in h..<text.count { excluded.insert(scorer.identity(window: Array(text[(i - h)..<i]), token: text[i])) }
        for i in h...text.count {
            let window = Array(text[(i - h)..<i]), token = TinyModelFile.successor(text[i - 1])
            let identity = scorer.identity(window: window, token: token)
            if !excluded.contains(identity), seen.insert(identity).inserted { expected.append(token) }
        }
        #expect(corpus.tokens == expected)
        #expect(corpus.count > 0)
    }

    @Test func aStudentOfTheWatermarkIsCaughtAndAnInnocentModelIsNot() throws {
        let configuration = Support.configuration(21)
        let scorer = TupleScorer(configuration: configuration)
        let texts = Support.texts(count: 8, length: 80, vocabulary: 3_000, seed: 12)
        var student = StudentPredictor(scorer: scorer, payload: 0, vocabulary: 3_000)
        let guilty = try ForensicAnalysis(directory: .none).report(ReadingMode.read(texts: texts, suspect: &student, scorer: scorer), mode: "reading")
        #expect(guilty.pValue < 1e-10)
        #expect(guilty.score > 0.5)
        var innocent = InnocentPredictor(vocabulary: 3_000)
        let clean = try ForensicAnalysis(directory: .none).report(ReadingMode.read(texts: texts, suspect: &innocent, scorer: scorer), mode: "reading")
        #expect(clean.pValue > 1e-3)
        #expect(clean.test.contains("binomial"))
        #expect(clean.nullHypothesis.contains("without knowledge of the watermark key"))
    }

    @Test func theReportHasTheContractFields() throws {
        let scorer = TupleScorer(configuration: Support.configuration())
        var innocent = InnocentPredictor(vocabulary: 3_000)
        let corpus = try ReadingMode.read(texts: Support.texts(count: 2, length: 50, vocabulary: 3_000, seed: 13),
                                          suspect: &innocent, scorer: scorer)
        let report = try ForensicAnalysis(directory: .none).report(corpus, mode: "reading")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        for field in ["test", "null_hypothesis", "statistic", "tuples_scored", "p_value"] {
            #expect(json?[field] != nil, "\(field)")
        }
        #expect(report.sentence.hasPrefix("No evidence"))
    }
}
