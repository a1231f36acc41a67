/// The OpenAI endpoints the gateway forwards.
public enum Endpoint: String, Sendable {
    /// POST /v1/chat/completions
    case chatCompletions = "chat.completions"
    /// POST /v1/completions (legacy)
    case completions = "completions"

    /// Path below the upstream's base URL.
    public var path: String {
        switch self {
        case .chatCompletions: "/chat/completions"
        case .completions: "/completions"
        }
    }
}
