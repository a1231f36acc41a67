import AegisCore
import ArgumentParser
import AsyncHTTPClient
import Forensics
import Foundation
import Inference
import NIOCore
import Watermark

/// `aegis forensics probe`: ask a closed suspect model and test all its answers together.
struct ForensicsProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Ask a suspect behind an OpenAI-compatible API and test all its answers for our watermark.",
        discussion: """
        --prompts holds one {"prompt"} (or "text", "instruction", "turns") object per line. Each answer \
        is appended to --answers as it arrives; a rerun asks only the prompts not yet answered. Then \
        every (context window, token) tuple of all answers is scored once across the corpus.
        """
    )

    @Option(help: "The suspect's OpenAI-compatible base URL, e.g. http://host:8080/v1.")
    var suspect: String

    @Option(name: .customLong("suspect-model"), help: "The model name sent to the suspect.")
    var suspectModel: String

    @Option(name: .customLong("api-key-file"), help: "A file holding the suspect's API key (sent as a bearer token).")
    var apiKeyFile: String?

    @Option(help: "JSONL file of prompts.")
    var prompts: String

    @Option(help: "The answers cache (JSONL), created if missing, resumed if present.")
    var answers: String

    @Option(name: .customLong("max-prompts"), help: "Ask at most this many prompts.")
    var maxPrompts: Int?

    @Option(help: "Requests in flight at once.")
    var concurrency = 4

    @Option(help: "Request starts per second at most (default: no limit).")
    var rate: Double?

    @Option(help: "Retries of a failed request (timeouts, 429, 5xx), with exponential backoff.")
    var retries = 4

    @Option(help: "Seconds to wait for one answer.")
    var timeout = 120

    @Option(name: .customLong("max-tokens"), help: "max_tokens asked for each answer.")
    var maxTokens = 256

    @Option(help: "Sampling temperature sent (default: the suspect's own).")
    var temperature: Double?

    @Option(name: .customLong("exclude-prompt-windows"), help: "Do not score tuples that occur in the prompts (true or false).")
    var excludePromptWindows = true

    @OptionGroup var options: ForensicsOptions

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1 (got \(concurrency))") }
        guard retries >= 0 else { throw ValidationError("--retries must be at least 0 (got \(retries))") }
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second (got \(timeout))") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a positive number of requests per second") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
    }

    func run() async throws {
        let key = try options.key()
        _ = try options.configuration(key: key)  // bad scheme options fail before any request is paid for
        _ = try options.directory()
        var list = try ForensicsTextFile.read(prompts, fields: ["prompt", "text", "instruction", "question", "turns"])
        if let maxPrompts { list = Array(list.prefix(max(0, maxPrompts))) }
        var apiKey: String?
        if let apiKeyFile {
            guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
                throw InvalidInput("cannot read the API key file \(apiKeyFile); check the path")
            }
            apiKey = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let cache = try AnswerCache(path: answers, keyID: ForensicsOptions.keyID(key), suspectModel: suspectModel)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let endpoint = OpenAISuspectEndpoint(
            client: client, baseURL: suspect.hasSuffix("/") ? String(suspect.dropLast()) : suspect,
            model: suspectModel, apiKey: apiKey, timeout: .seconds(Int64(timeout)), maxTokens: maxTokens,
            temperature: temperature)
        let probe = Probe(endpoint: endpoint, options: Probe.Options(concurrency: concurrency, requestsPerSecond: rate,
                                                                     attempts: retries + 1))
        let bar = ProgressBar(label: "probe", total: list.count)
        do {
            try await probe.run(prompts: list.map { Probe.Prompt(id: $0.id, text: $0.text) }, cache: cache) { done, _ in
                bar.update(done)
            }
            bar.finish()
        } catch {
            bar.finish()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let report = try Self.test(answersFile: answers, options: options, excludePromptWindows: excludePromptWindows,
                                   requireAccounts: false, only: Set(list.map(\.id)))
        try options.print(report)
    }

    /// Tests the answers in a cache (all of them, or those of the prompts `only`).
    static func test(answersFile: String, options: ForensicsOptions, excludePromptWindows: Bool,
                     requireAccounts: Bool, only: Set<String>? = nil) throws -> ForensicReport {
        let key = try options.key()
        let configuration = try options.configuration(key: key)
        let directory = try options.directory(requireAccounts: requireAccounts)
        let tokenizer = try Tokenizer(gguf: try GGUFFile(path: options.model))
        var lines = try ForensicsTextFile.read(answersFile, fields: ["answer"])
        if let only { lines = lines.filter { only.contains($0.id) } }
        // Checks the header's key id: the cache must have been made with this key.
        if let data = FileManager.default.contents(atPath: answersFile),
           let first = data.split(separator: UInt8(ascii: "\n")).first,
           let header = try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any],
           let id = header["key_id"] as? String, id != ForensicsOptions.keyID(key) {
            throw ForensicsError.cacheMismatch(path: answersFile, detail: "was made with another watermark key (key id \(id), this key is \(ForensicsOptions.keyID(key)))")
        }
        var corpus = TupleCorpus(scorer: TupleScorer(configuration: configuration))
        if excludePromptWindows {
            for line in lines { if let prompt = line.prompt { corpus.exclude(text: tokenizer.encode(prompt, parseSpecialTokens: false)) } }
        }
        for line in lines { corpus.add(text: tokenizer.encode(line.text, parseSpecialTokens: false)) }
        return try ForensicAnalysis(directory: directory, alpha: options.alpha,
                                    threads: options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
            .report(corpus, mode: "probe")
    }
}
