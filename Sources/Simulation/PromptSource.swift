import AegisCore
import Foundation

/// Prompt text for the simulator: ordinary requests and "task items" (what
/// distillation harvests: maths, code, reasoning).
///
/// With `../shared/data` present it uses the real prompt and task sets there
/// (for evaluation: traffic nobody on the team wrote); without it, it composes
/// text from phrase lists written for Aegis, so the simulator always works.
public struct PromptSource: Sendable {
    /// Ordinary user requests.
    public let ordinary: [String]
    /// Task items (problems, coding exercises).
    public let tasks: [String]
    /// Where the text came from, for the labels file and reports.
    public let origin: String

    /// Loads from `dataDirectory` when it holds the shared data, else builds the fallback.
    public init(dataDirectory: String?, random: inout SeededGenerator) {
        if let dir = dataDirectory, let loaded = Self.load(dir), loaded.0.count >= 100, loaded.1.count >= 100 {
            ordinary = loaded.0
            tasks = loaded.1
            origin = "shared data (\(dir)): \(loaded.0.count) prompts, \(loaded.1.count) tasks"
        } else {
            ordinary = Self.composeOrdinary(&random)
            tasks = Self.composeTasks(&random)
            origin = "built-in phrase lists: \(ordinary.count) prompts, \(tasks.count) tasks"
        }
    }

    private static func load(_ dir: String) -> ([String], [String])? {
        func lines(_ path: String, _ pick: (JSONValue) -> String?) -> [String] {
            guard let text = try? String(contentsOfFile: dir + "/" + path, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { line in
                (try? JSONParser.parse(String(line))).flatMap(pick)
            }
        }
        var ordinary: [String] = []
        ordinary += lines("prompts/selfinstruct_user_oriented_instructions.jsonl") { $0["instruction"]?.stringValue }
        ordinary += lines("prompts/selfinstruct_seed_tasks.jsonl") { $0["instruction"]?.stringValue }
        ordinary += lines("prompts/wizardlm_testset.jsonl") { $0["Instruction"]?.stringValue }
        ordinary += lines("prompts/vicuna_bench_question.jsonl") { $0["turns"]?.arrayValue?.first?.stringValue }
        ordinary += lines("prompts/mt_bench_question.jsonl") { $0["turns"]?.arrayValue?.first?.stringValue }
        if let text = try? String(contentsOfFile: dir + "/prompts/alpaca_eval_gpt4_1106_preview_outputs.json", encoding: .utf8),
           let all = try? JSONParser.parse(text).arrayValue {
            ordinary += all.compactMap { $0["instruction"]?.stringValue }
        }
        var tasks: [String] = []
        tasks += lines("tasks/gsm8k_train.jsonl") { $0["question"]?.stringValue }
        tasks += lines("tasks/gsm8k_test.jsonl") { $0["question"]?.stringValue }
        tasks += lines("tasks/math500_test.jsonl") { $0["problem"]?.stringValue }
        tasks += lines("tasks/mbpp.jsonl") { $0["text"]?.stringValue }
        guard !ordinary.isEmpty || !tasks.isEmpty else { return nil }
        return (ordinary, tasks)
    }

    private static func composeOrdinary(_ r: inout SeededGenerator) -> [String] {
        let asks = ["Can you help me plan", "Write a short poem about", "Give me five ideas for", "Explain in simple terms",
                    "What is the difference between a budget and", "Draft a polite email about", "Suggest a weekend itinerary for",
                    "How do I get better at", "Summarize the main arguments for", "What should I cook for",
                    "Write a cover letter paragraph about", "Help me choose between two options for",
                    "Tell me a fun fact about", "Rewrite this sentence to sound friendlier:", "Why does my sourdough fail when I try",
                    "Make a packing list for", "What are good questions to ask about", "Describe the history of"]
        let things = ["a birthday party for my sister", "learning the guitar", "a trip to Lisbon", "my small garden",
                      "remote work with a team across time zones", "a job interview at a bakery", "saving for a first car",
                      "running a half marathon", "a rainy Sunday with kids", "the French revolution", "public speaking",
                      "a vegetarian dinner for six", "my landlord about a broken heater", "writing better meeting notes",
                      "the water cycle", "choosing a laptop for photo editing", "a camping weekend in autumn",
                      "keeping houseplants alive", "an anniversary surprise", "the basics of compound interest"]
        var out: [String] = []
        for a in asks { for t in things { out.append("\(a) \(t)?") } }
        for _ in 0..<200 { out.append("\(r.pick(asks)) \(r.pick(things)), keeping it under \(r.int(50...300)) words?") }
        return out
    }

    private static func composeTasks(_ r: inout SeededGenerator) -> [String] {
        let names = ["Ana", "Bilal", "Chen", "Dara", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas"]
        let items = ["apples", "marbles", "books", "stamps", "tickets", "pencils", "cupcakes", "stickers"]
        var out: [String] = []
        for _ in 0..<1500 {
            let a = r.int(3...90), b = r.int(2...40), c = r.int(2...9)
            out.append("\(r.pick(names)) has \(a) \(r.pick(items)). She buys \(b) more and then gives away a 1/\(c) share of all of them to friends. How many does she keep?")
        }
        let verbs = ["returns the longest palindromic substring of", "counts the vowels in", "merges two sorted lists into",
                     "checks whether a number is prime given", "computes the running median of", "removes duplicates from",
                     "rotates a matrix given as", "finds the k most frequent words in"]
        let inputs = ["a string", "a list of integers", "a text file", "a list of tuples", "a dictionary", "a stream of numbers"]
        for v in verbs { for i in inputs { for k in 1...10 { out.append("Write a Python function solve_\(k)() that \(v) \(i).") } } }
        return out
    }
}
