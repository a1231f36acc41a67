import AegisCore
import Foundation
@testable import Forensics
import Inference
import Testing
import Watermark

@Suite struct BadInputTests {
    @Test func aFileThatIsNotAModelIsAOneLineError() throws {
        let notGGUF = FileManager.default.temporaryDirectory.appendingPathComponent("not-\(UUID()).gguf").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notGGUF))
        let tokenizerOnly = try TinyModelFile(withTensors: false).write()
        let reference = try TinyModelFile().write()
        defer { [notGGUF, tokenizerOnly, reference].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        for path in [notGGUF, tokenizerOnly] {
            let referenceFile = try GGUFFile(path: reference)
            do throws(ForensicsError) {
                _ = try SuspectModel(path: path, reference: referenceFile)
                Issue.record("\(path) was accepted")
            } catch {
                guard case .notAModel = error else { Issue.record("wrong error \(error)"); continue }
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test func aModelWithAnotherVocabularyIsRefused() throws {
        let other = try TinyModelFile(extraTokens: ["zz"]).write()
        let reference = try TinyModelFile().write()
        defer { [other, reference].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        #expect(throws: ForensicsError.otherVocabulary(path: other, detail: "258 tokens, the watermarked model has 257")) {
            _ = try SuspectModel(path: other, reference: try GGUFFile(path: reference))
        }
    }

    @Test func aCacheMadeWithAnotherKeyIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AnswerCache(path: path, keyID: "aaaa", suspectModel: "m").append(.init(id: "1", prompt: "p", answer: "a"))
        #expect(throws: ForensicsError.self) { _ = try AnswerCache(path: path, keyID: "bbbb", suspectModel: "m") }
        let reopened = try AnswerCache(path: path, keyID: "aaaa", suspectModel: "m")
        #expect(reopened.entries == [.init(id: "1", prompt: "p", answer: "a")])
        do throws(ForensicsError) {
            _ = try AnswerCache(path: path, keyID: "bbbb", suspectModel: "m")
        } catch {
            #expect(error.description.contains("another watermark key"))
        }
    }

    @Test func aCutShortLastLineIsDroppedAndAskedAgain() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AnswerCache(path: path, keyID: "k", suspectModel: "m").append(.init(id: "1", prompt: "p", answer: "a"))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"2\",\"pro".utf8))
        try handle.close()
        let cache = try AnswerCache(path: path, keyID: "k", suspectModel: "m")
        #expect(cache.contains("1") && !cache.contains("2"))
        try cache.append(.init(id: "2", prompt: "q", answer: "b"))
        #expect(try AnswerCache(path: path, keyID: "k", suspectModel: "m").entries.count == 2)
    }
}

/// An endpoint that answers `budget` prompts, then fails the way it is told to.
actor ScriptedEndpoint: SuspectEndpoint {
    var budget: Int
    let failure: SuspectFailure
    private(set) var asked: [String] = []

    init(budget: Int, failure: SuspectFailure) {
        self.budget = budget
        self.failure = failure
    }

    func answer(prompt: String) async throws(SuspectFailure) -> String {
        asked.append(prompt)
        guard budget > 0 else { throw failure }
        budget -= 1
        return "answer to \(prompt)"
    }

    func refill(_ count: Int) { budget = count }
}

@Suite struct ProbeTests {
    static let prompts = (0..<10).map { Probe.Prompt(id: "p\($0)", text: "prompt \($0)") }
    static let fast = Probe.Options(concurrency: 3, attempts: 3, initialBackoff: .milliseconds(1), maximumBackoff: .milliseconds(2))

    @Test func anInterruptedProbeResumesWithoutLosingAnswers() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let endpoint = ScriptedEndpoint(budget: 4, failure: .transient("timed out after 60 s"))
        do throws(ForensicsError) {
            try await Probe(endpoint: endpoint, options: Self.fast).run(prompts: Self.prompts,
                                                                         cache: AnswerCache(path: path, keyID: "k", suspectModel: "m"))
            Issue.record("the probe should have failed")
        } catch {
            guard case .suspectFailed(attempts: 3, reason: "timed out after 60 s") = error else { Issue.record("\(error)"); return }
            #expect(!error.description.contains("\n"))
        }
        let kept = try AnswerCache(path: path, keyID: "k", suspectModel: "m")
        #expect(kept.entries.count == 4)
        await endpoint.refill(100)
        let before = await endpoint.asked.count
        try await Probe(endpoint: endpoint, options: Self.fast).run(prompts: Self.prompts, cache: kept)
        let after = await endpoint.asked.count
        #expect(after - before == 6)  // only the prompts not yet answered
        #expect(try AnswerCache(path: path, keyID: "k", suspectModel: "m").entries.count == 10)
    }

    @Test func aRefusalIsNotRetried() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let endpoint = ScriptedEndpoint(budget: 0, failure: .permanent("HTTP 401: invalid API key"))
        await #expect(throws: ForensicsError.suspectRefused(reason: "HTTP 401: invalid API key")) {
            try await Probe(endpoint: endpoint, options: Probe.Options(concurrency: 1, attempts: 5))
                .run(prompts: Array(Self.prompts.prefix(1)), cache: AnswerCache(path: path, keyID: "k", suspectModel: "m"))
        }
        #expect(await endpoint.asked.count == 1)
    }
}
