import AegisCore
import Inference

extension ChatMessage {
    /// A message of an OpenAI `messages` array: its role, and its content as
    /// text (a string, or the text parts of a content array, one per line).
    init(openAI message: JSONValue) {
        let content = message["content"]
        let text = content?.stringValue
            ?? (content?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        self.init(role: message["role"]?.stringValue ?? "user", content: text)
    }
}
