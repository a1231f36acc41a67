import AegisCore
import ArgumentParser
import Crypto
import Forensics
import Foundation
import Gateway
import Inference
import Watermark

/// The options every forensic test shares: key, scheme, payloads, accounts, output.
struct ForensicsOptions: ParsableArguments {
    @Option(help: "The GGUF of the watermarked model: its tokenizer splits text (and reading mode checks the suspect's vocabulary against it).")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(name: .customLong("key-file"), help: "A file holding the watermark key as `aegis keys new` prints it (64 hex digits); for vllm-gumbel vLLM's integer key or its --watermark-config JSON. The key is never printed.")
    var keyFile: String

    @Option(help: "Watermark scheme: kgw, gumbel, synthid or vllm-gumbel (default kgw, the gateway's).")
    var scheme = "kgw"

    @OptionGroup(title: "Scheme options")
    var schemeOptions: SchemeOptions

    @Option(name: .customLong("payload-bits"), help: "Payload width the gateway embedded (default 8, the gateway's; 0: no payload; vllm-gumbel has none).")
    var payloadBits = 8

    @Option(help: "A file of account names, one per line: only their payloads are tested and significant ones are named.")
    var accounts: String?

    @Option(name: .customLong("accounts-log"), help: "The gateway's exchange log (JSONL): its accounts are the ones tested.")
    var accountsLog: String?

    @Option(help: "Family-wise error rate at which accounts are named (Holm).")
    var alpha = 0.01

    @Flag(help: "Print the result as one JSON object instead of a sentence.")
    var json = false

    @Option(help: "Compute threads (default: all processors).")
    var threads: Int?

    func validate() throws {
        guard (0...32).contains(payloadBits) else { throw ValidationError("--payload-bits must be between 0 and 32 (got \(payloadBits))") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must lie strictly between 0 and 1 (got \(alpha))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    /// The key, read from `--key-file`; its bytes never reach output.
    func key() throws -> WatermarkKey {
        guard let data = FileManager.default.contents(atPath: keyFile) else {
            throw InvalidInput("cannot read the key file \(keyFile); check the path")
        }
        if try WatermarkScheme(parsing: scheme) == .vllmGumbel {
            let text = String(decoding: data, as: UTF8.self)
            if text.contains("{") {
                var configuration = WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: 0))
                try VLLMWatermarkConfig(json: text).apply(to: &configuration)
                return configuration.key
            }
            do { return try WatermarkKey(parsing: text, scheme: .vllmGumbel) } catch {
                throw InvalidInput("the key file \(keyFile) holds neither vLLM's integer key nor its --watermark-config JSON")
            }
        }
        do {
            return try WatermarkKey(hex: String(decoding: data, as: UTF8.self))
        } catch {
            throw InvalidInput("the key file \(keyFile) does not hold a key as 64 hex digits; write one with `aegis keys new > \(keyFile)`")
        }
    }

    /// The configuration tested (payload left out: the analysis shifts per payload).
    func configuration(key: WatermarkKey) throws -> WatermarkConfiguration {
        var configuration = WatermarkConfiguration(scheme: try WatermarkScheme(parsing: scheme), key: key)
        try schemeOptions.apply(to: &configuration)
        configuration.key = key  // --watermark-config supplies the context width; the key comes from --key-file
        try configuration.validate()
        return configuration
    }

    /// The payloads to test: the accounts' payloads when accounts are given, else all 2^b.
    func directory(requireAccounts: Bool = false) throws -> PayloadDirectory {
        var names: [String] = []
        if let accounts {
            guard let data = FileManager.default.contents(atPath: accounts) else {
                throw InvalidInput("cannot read the accounts file \(accounts); check the path")
            }
            names += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let accountsLog {
            guard FileManager.default.fileExists(atPath: accountsLog) else {
                throw InvalidInput("cannot read the exchange log \(accountsLog); check the path")
            }
            names += Set(try ExchangeLogReader(path: accountsLog).readAll().exchanges.map(\.account))
        }
        if requireAccounts, names.isEmpty {
            throw InvalidInput("attribution needs the accounts: give --accounts FILE (one name per line) or --accounts-log LOG")
        }
        // vLLM's scheme carries no payload, whatever --payload-bits says (its default is the gateway's 8).
        let payloadBits = (try? WatermarkScheme(parsing: scheme)) == .vllmGumbel ? 0 : self.payloadBits
        guard payloadBits > 0 else {
            if !names.isEmpty { throw InvalidInput("accounts are told apart by their payload: give --payload-bits (the gateway's width)") }
            return .none
        }
        if names.isEmpty { return try PayloadDirectory.all(bits: payloadBits) }
        let bits = payloadBits
        return PayloadDirectory.accounts(names) { AccountPayload.payload(account: $0, bits: bits) }
    }

    /// A keyed hash of the key, to tell caches made with different keys apart without storing the key.
    static func keyID(_ key: WatermarkKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("aegis-forensics/answers-cache/key-id/v1".utf8),
                                                  using: SymmetricKey(data: key.bytes))
        return Array(mac).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Prints the report as a sentence or as JSON.
    func print(_ report: ForensicReport) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            Swift.print(report.sentence)
        }
    }
}
