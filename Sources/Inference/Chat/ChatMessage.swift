/// One message of a conversation, as in an OpenAI chat request.
public struct ChatMessage: Sendable, Codable, Hashable {
    /// Who speaks: "system", "user", "assistant" (others, e.g. "tool", are rendered by name).
    public var role: String
    /// What they say.
    public var content: String

    /// A message from `role` saying `content`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message (instructions for the assistant).
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    /// An assistant message (an earlier answer).
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}
