import AegisCore

/// What can go wrong in a forensic test, each with a one-line message that says
/// what was wrong and what to do.
public enum ForensicsError: AegisError, Equatable {
    /// The suspect GGUF could not be run as a model.
    case notAModel(path: String, reason: String)
    /// The suspect's vocabulary differs from the one the watermark was embedded with.
    case otherVocabulary(path: String, detail: String)
    /// No (context window, token) tuple could be scored.
    case nothingToScore(String)
    /// The suspect endpoint kept failing.
    case suspectFailed(attempts: Int, reason: String)
    /// The suspect endpoint refused a request in a way retrying cannot fix.
    case suspectRefused(reason: String)
    /// The answers cache was written under another watermark key or for another suspect.
    case cacheMismatch(path: String, detail: String)
    /// The answers cache is not one Aegis wrote.
    case cacheUnreadable(path: String, line: Int, reason: String)
    /// A payload → accounts map or prompt file that cannot be used.
    case invalidInput(String)

    /// The one-line message.
    public var description: String {
        switch self {
        case let .notAModel(path, reason):
            return "\(path) is not a model Aegis can run (\(reason)); give a GGUF of a llama or qwen2 model"
        case let .otherVocabulary(path, detail):
            return "\(path) has another vocabulary than the watermarked model (\(detail)); reading mode needs a suspect with the same tokenizer, use the closed-model probe instead"
        case let .nothingToScore(detail):
            return "no (context window, token) tuple could be scored: \(detail)"
        case let .suspectFailed(attempts, reason):
            return "the suspect endpoint failed \(attempts) time(s) in a row (\(reason)); answers received so far are kept in the cache, run the probe again to resume"
        case let .suspectRefused(reason):
            return "the suspect endpoint refused the request (\(reason)); check --suspect, --suspect-model and --api-key-file"
        case let .cacheMismatch(path, detail):
            return "the answers cache \(path) \(detail); give a new --answers file"
        case let .cacheUnreadable(path, line, reason):
            return "line \(line) of the answers cache \(path) is unreadable (\(reason)); repair or remove that line"
        case let .invalidInput(message):
            return message
        }
    }
}
