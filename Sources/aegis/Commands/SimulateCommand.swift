import AegisCore
import ArgumentParser
import Detection
import Simulation
import Foundation

/// `aegis simulate`: writes a labelled synthetic exchange log.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a synthetic exchange log with legitimate traffic and distillation campaigns.",
        discussion: """
        Scenarios: \(SimulationScenario.allCases.map(\.rawValue).joined(separator: ", ")). \
        The labels (who is which population, which campaign) go to their own file. Prompt text comes \
        from --data when it holds the shared prompt and task sets, else from built-in phrase lists.
        """
    )

    @Option(name: .long, help: "The exchange log to write (JSONL).")
    var out: String

    @Option(name: .long, help: "The labels file to write (JSON).")
    var labels: String

    @Option(name: .long, help: "The traffic mix.")
    var scenario = SimulationScenario.mixed.rawValue

    @Option(name: .long, help: "Random seed: same seed, same log.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "About how many exchanges to write.")
    var exchanges = 100_000

    @Option(name: .customLong("actor-seed"),
            help: "Draw each campaign's infrastructure from this seed: logs with different --seed then share the same actors.")
    var actorSeed: UInt64?

    @Option(name: .long, help: "Directory with the shared prompts/ and tasks/ sets.")
    var data = "../shared/data"

    func run() throws {
        guard let scenario = SimulationScenario(rawValue: scenario) else {
            throw InvalidInput("unknown scenario '\(self.scenario)'; use one of \(SimulationScenario.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard exchanges > 0 else { throw InvalidInput("--exchanges must be positive") }
        var options = SimulationOptions()
        options.scenario = scenario
        options.seed = seed
        options.exchanges = exchanges
        options.dataDirectory = data
        options.actorSeed = actorSeed
        var simulator = TrafficSimulator(options: options)
        let file = try OutputFile(path: out)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 21)
        let tty = isatty(STDERR_FILENO) != 0
        var written = 0
        let result = try simulator.run { exchange in
            exchange.appendJSONLine(to: &buffer)
            written += 1
            if buffer.count >= 1 << 20 {
                try file.write(buffer)
                buffer.removeAll(keepingCapacity: true)
                if tty { FileHandle.standardError.write(Data("\r\(written) exchanges".utf8)) }
            }
        }
        try file.write(buffer)
        try file.close()
        let labelFile = try OutputFile(path: labels)
        try labelFile.write(Array((JSONWriter(indent: 1).string(result.json) + "\n").utf8))
        try labelFile.close()
        let campaignAccounts = result.accounts.values.filter { $0.campaign != nil }.count
        FileHandle.standardError.write(Data(((tty ? "\r" : "") + "wrote \(result.exchanges) exchanges from \(result.accounts.count) accounts (\(campaignAccounts) in \(result.campaigns.count) campaigns) to \(out); labels in \(labels); prompts from \(result.promptOrigin)\n").utf8))
    }
}
