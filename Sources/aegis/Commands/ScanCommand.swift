import AegisCore
import ArgumentParser
import Detection
import Foundation

/// `aegis scan`: reads an exchange log as a stream and writes verdicts.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find distillation campaigns in an exchange log (JSONL) and write verdicts (JSON).",
        discussion: """
        Reads the log as a stream (memory grows with accounts, not exchanges). Malformed lines \
        are reported on stderr with their line numbers and skipped. Progress is shown on a terminal.
        """
    )

    @Option(name: .long, help: "The exchange log to read (JSONL, one exchange per line).")
    var events: String

    @Option(name: .long, help: "Where to write the verdicts (default: standard output).")
    var out: String?

    @Option(name: .long, help: "Ignore exchanges before this ISO 8601 time, e.g. 2026-11-29T00:00:00Z.")
    var since: String?

    @Option(name: .long, help: """
        Flag accounts and campaigns scoring at least this fixed score (0…1) instead of a calibrated rate. \
        Without it (and without --target-fpr) the flag is made at a 1% false-positive rate on the benign reference.
        """)
    var threshold: Double?

    @Option(name: .long, help: "Threads that parse the log (the detector itself runs on one more).")
    var threads = 2

    @Option(name: .long, help: "Also write a JSONL timeline of newly flagged accounts every N exchanges (for evaluation).")
    var timeline: String?

    @Option(name: .long, help: "Exchanges between timeline checkpoints.")
    var timelineEvery = 10_000

    @Option(name: .long, help: "Peer indicators (a bundle from `aegis exchange pull`): a matching account gets the indicator as a reason; a strong match flags it.")
    var indicators: String?

    @Option(name: .customLong("target-fpr"), help: """
        Flag at this false-positive rate on benign traffic (e.g. 0.01) instead of a fixed --threshold: the threshold \
        is chosen on the benign reference (--calibration, else the built-in one) and the verdicts state it.
        """)
    var targetFPR: Double?

    /// The false-positive rate a scan flags at when neither --threshold nor --target-fpr is given.
    /// A fixed score threshold (0.6) flagged 32% of the legitimate accounts of traffic the detector
    /// was not developed on (the red team's, docs/detection.md); a threshold set on benign traffic
    /// for a stated rate says what a flag means.
    static let defaultTargetFPR = 0.01

    @Option(help: "A benign reference written by --write-calibration; each verdict then carries its p-value against it.")
    var calibration: String?

    @Option(name: .customLong("benign-accounts"), help: "A file of benign account names (one per line): with --write-calibration, their scores become the reference.")
    var benignAccounts: String?

    @Option(name: .customLong("write-calibration"), help: "Write the scores of the --benign-accounts as a benign reference (JSON).")
    var writeCalibration: String?

    @OptionGroup var consortiumKey: ConsortiumKeyOptions

    func run() throws {
        var sinceTime: Double?
        if let since {
            guard let date = ExchangeTime.parse(since) else {
                throw InvalidInput("--since must be an ISO 8601 time such as 2026-11-29T00:00:00Z (got '\(since)')")
            }
            sinceTime = date.timeIntervalSince1970
        }
        if let threshold, !(0...1).contains(threshold) {
            throw InvalidInput("--threshold must be between 0 and 1 (got \(threshold))")
        }
        if threshold != nil, targetFPR != nil {
            throw InvalidInput("--threshold and --target-fpr both choose the flag threshold: give one of them")
        }
        let targetFPR = threshold == nil ? (self.targetFPR ?? Self.defaultTargetFPR) : nil
        if let targetFPR, !(targetFPR > 0 && targetFPR < 1) {
            throw InvalidInput("--target-fpr must be a rate between 0 and 1, e.g. 0.01 (got \(targetFPR))")
        }
        if (writeCalibration == nil) != (benignAccounts == nil) {
            throw InvalidInput("--write-calibration and --benign-accounts go together: name the benign accounts and where to write their scores")
        }
        let reference = try calibration.map(Self.readCalibration) ?? (targetFPR == nil ? nil : BenignCalibration.builtIn)
        var statement = VerdictCalibration(targetFPR: nil, threshold: threshold ?? DetectorConfiguration().flagThreshold, benignAccounts: 0, source: "fixed threshold")
        if let targetFPR, let reference {
            statement = VerdictCalibration(targetFPR: targetFPR, threshold: reference.threshold(forFalsePositiveRate: targetFPR),
                                           benignAccounts: reference.scores.count, source: reference.source)
        }
        let reader = ExchangeLogReader(path: events, parallelism: max(1, threads))
        var configuration = DetectorConfiguration()
        configuration.flagThreshold = statement.threshold
        var detector = CampaignDetector(configuration: configuration)
        let extractor = detector.extractor
        let progress = Progress(total: reader.fileSize)
        var malformed = 0
        var timelineFile: OutputFile?
        if let timeline { timelineFile = try OutputFile(path: timeline) }
        var flaggedSoFar = Set<String>()
        var nextCheckpoint = timelineEvery
        let started = Date()

        let cutoff = sinceTime
        try reader.forEachBatch(transform: { exchange -> ExchangeFeatures? in
            if let sinceTime = cutoff, exchange.time.timeIntervalSince1970 < sinceTime { return nil }
            return extractor.features(of: exchange)
        }) { batch in
            for line in batch.malformed {
                malformed += 1
                if malformed <= 20 { progress.note("warning: \(events): \(line)") }
            }
            for features in batch.elements {
                detector.observe(features)
                if timelineFile != nil, detector.exchangesObserved >= nextCheckpoint {
                    nextCheckpoint += timelineEvery
                    try writeCheckpoint(detector, &flaggedSoFar, &timelineFile, lines: batch.linesRead)
                }
            }
            progress.update(bytes: batch.bytesRead, exchanges: detector.exchangesObserved)
        }
        progress.finish()
        if timelineFile != nil { try writeCheckpoint(detector, &flaggedSoFar, &timelineFile, lines: -1) }
        try timelineFile?.close()

        var verdicts = detector.verdicts()
        verdicts.calibration = statement
        if let reference {
            for k in verdicts.accounts.indices { verdicts.accounts[k].pValue = reference.pValue(verdicts.accounts[k].score) }
        }
        if let writeCalibration, let benignAccounts {
            try Self.write(benign: benignAccounts, of: verdicts, to: writeCalibration, log: events)
        }
        if let indicators { try applyIndicators(indicators, to: &verdicts, since: sinceTime, progress: progress) }
        let text = verdicts.jsonText()
        if let out {
            var file = try OutputFile(path: out)
            try file.write(Array(text.utf8))
            try file.close()
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let seconds = Date().timeIntervalSince(started)
        let flagged = verdicts.accounts.filter(\.flagged).count
        var summary = "scanned \(detector.exchangesObserved) exchanges from \(verdicts.accounts.count) accounts in "
        summary += String(format: "%.1f s (%.0f/s): %d flagged, %d campaigns", seconds,
                          Double(detector.exchangesObserved) / max(seconds, 1e-9), flagged, verdicts.campaigns.count)
        for (k, count) in detector.inputProblems.enumerated() where count > 0 {
            summary += "; \(count) with \(InputProblems.named[k].1)"
        }
        if let fpr = statement.targetFPR { summary += String(format: "; flagged at a target false-positive rate of %g (threshold %.4f)", fpr, statement.threshold) }
        if malformed > 0 { summary += "; \(malformed) malformed lines skipped" + (malformed > 20 ? " (first 20 listed above)" : "") }
        progress.note(summary)
    }

    static func readCalibration(_ path: String) throws -> BenignCalibration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read the calibration \(path); write one with `aegis scan --benign-accounts LIST --write-calibration \(path)`")
        }
        do {
            return try BenignCalibration(json: JSONParser.parse(String(decoding: data, as: UTF8.self)))
        } catch {
            throw InvalidInput("\(path): \(error)")
        }
    }

    static func write(benign listPath: String, of verdicts: Verdicts, to path: String, log: String) throws {
        guard let data = FileManager.default.contents(atPath: listPath) else {
            throw InvalidInput("cannot read the benign account list \(listPath) (one account name per line)")
        }
        let names = Set(String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init))
        let scores = verdicts.accounts.filter { names.contains($0.account) }.map(\.score)
        guard !scores.isEmpty else {
            throw InvalidInput("none of the \(names.count) accounts in \(listPath) appear in \(log); list accounts of this log")
        }
        let reference = BenignCalibration(scores: scores, source: "\(scores.count) benign accounts of \(log)")
        var file = try OutputFile(path: path)
        try file.write(Array((JSONWriter().string(reference.json) + "\n").utf8))
        try file.close()
    }

    private func writeCheckpoint(_ detector: CampaignDetector, _ seen: inout Set<String>, _ file: inout OutputFile?,
                                 lines: Int) throws {
        let v = detector.verdicts()
        var newly: [JSONValue] = []
        for a in v.accounts where a.flagged && !seen.contains(a.account) {
            seen.insert(a.account)
            newly.append(.string(a.account))
        }
        let line: JSONValue = ["exchanges": .number(Double(detector.exchangesObserved)), "flagged": .array(newly)]
        try file?.write(Array((JSONWriter().string(line) + "\n").utf8))
    }
}

/// Progress on standard error, only when it is a terminal.
final class Progress {
    private let total: Int?
    private let enabled = isatty(STDERR_FILENO) != 0
    private var lastDraw = Date.distantPast
    private let started = Date()

    init(total: Int?) {
        self.total = total
    }

    func update(bytes: Int, exchanges: Int) {
        guard enabled, Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let rate = Double(exchanges) / max(Date().timeIntervalSince(started), 1e-3)
        var line = "\r\(exchanges) exchanges (\(Int(rate))/s)"
        if let total, total > 0 { line += String(format: ", %.0f%%", 100 * Double(bytes) / Double(total)) }
        FileHandle.standardError.write(Data((line + "   ").utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    func note(_ message: String) {
        FileHandle.standardError.write(Data(((enabled ? "\r\u{1B}[K" : "") + message + "\n").utf8))
    }
}
