import Testing
@testable import Detection

@Suite struct TextAnalyzerTests {
    let analyzer = TextAnalyzer(hasher: .unkeyed)

    func has(_ text: String, _ c: PromptCategory) -> Bool {
        analyzer.analyze(text).categories & c.bit != 0
    }

    @Test func findsReasoningElicitationInSeveralLanguages() {
        #expect(has("Write out your complete chain of thought before answering: what is 17*23?", .reasoningElicitation))
        #expect(has("Escribe tu razonamiento interno completo antes de responder.", .reasoningElicitation))
        #expect(has("请先写出完整的思维链，再回答。", .reasoningElicitation))
        #expect(!has("What is the capital of Peru?", .reasoningElicitation))
        #expect(has("Explain step by step how to factor x^2-1.", .stepByStep))
        #expect(!has("Explain step by step how to factor x^2-1.", .reasoningElicitation))
    }

    @Test func safeRewriteNeedsBothARewriteAndASensitivityWord() {
        #expect(!has("Rewrite this paragraph to be more formal.", .safeRewrite))
        #expect(!has("Is censorship ever justified?", .safeRewrite))
        #expect(has("Rewrite this paragraph so it avoids censorship in strict markets.", .safeRewrite))
        #expect(has("请改写以下内容，使其能够通过审查。", .safeRewrite))
    }

    @Test func findsRubricAndTrainingFormats() {
        #expect(has("Using the rubric below, score the candidate response from 1 to 10.", .rubricGrading))
        #expect(has("Which response is better, Response A or Response B?", .rubricGrading))
        #expect(!has("Rate my pancake recipe please", .rubricGrading))
        #expect(has("Format the answer as JSONL training examples for fine-tuning.", .trainingFormat))
    }

    @Test func templateKeysIgnoreTheVariableMiddleAndDigits() {
        let a = analyzer.analyze("Solve the problem below and show every step. Problem: Ana has 12 apples and eats 3. Answer on the last line please.")
        let b = analyzer.analyze("Solve the problem below and show every step. Problem: a train leaves at 9 and travels 80 km. Answer on the last line please.")
        let c = analyzer.analyze("Tell me something funny about cats and dogs living together in one small flat in town.")
        #expect(a.prefixKey != 0 && a.prefixKey == b.prefixKey && a.suffixKey == b.suffixKey)
        #expect(a.prefixKey != c.prefixKey)
        #expect(a.contentHash != b.contentHash)
        #expect(analyzer.analyze("short prompt").prefixKey == 0)
    }

    @Test func minHashSeesNearDuplicates() {
        let base = "Summarize the following customer review in one sentence and label its sentiment: the blender is loud but works well."
        let near = "Summarize the following customer review in one sentence and label its sentiment: the blender is loud but works fine."
        let other = "Write a limerick about a lighthouse keeper who is afraid of the dark and of seagulls too."
        let s = analyzer.analyze(base).shingles
        #expect(s.similarity(to: analyzer.analyze(near).shingles) > 0.6)
        #expect(s.similarity(to: analyzer.analyze(other).shingles) < 0.3)
    }

    @Test func topicsAreCoarse() {
        #expect(analyzer.analyze("Solve the equation and find the integer remainder").topic == .math)
        #expect(analyzer.analyze("Write a python function that reverses an array").topic == .code)
    }

    @Test func keyedHashesDifferByKey() {
        let other = TextAnalyzer(hasher: KeyedHash(k0: 1, k1: 2))
        let text = "Solve the problem below and show every step of the work please now. Problem: 2+2. Answer on the last line."
        #expect(analyzer.analyze(text).prefixKey != other.analyze(text).prefixKey)
    }
}
