import AegisCore
import Foundation
import NIOCore

/// Writes OpenAI wire format for upstreams that generate text themselves
/// (the built-in engine): stream chunks, the usage chunk, `[DONE]`, and whole
/// completion bodies, for either endpoint.
public struct CompletionFormatter: Sendable {
    /// The completion id ("chatcmpl-…" or "cmpl-…").
    public let id: String
    /// The model id echoed back.
    public let model: String
    /// The endpoint being answered.
    public let endpoint: Endpoint
    /// Creation time, seconds since 1970.
    public let created: Int

    /// Creates a formatter for one answer.
    public init(model: String, endpoint: Endpoint, created: Date = Date()) {
        self.id = (endpoint == .chatCompletions ? "chatcmpl-" : "cmpl-") + UUID().uuidString.lowercased()
        self.model = model
        self.endpoint = endpoint
        self.created = Int(created.timeIntervalSince1970)
    }

    private var object: String { endpoint == .chatCompletions ? "chat.completion" : "text_completion" }

    private func head(chunk: Bool) -> String {
        var out = "{\"id\":\"\(id)\",\"object\":\"\(object)\(chunk && endpoint == .chatCompletions ? ".chunk" : "")\",\"created\":\(created),\"model\":"
        JSONWriter.appendString(model, to: &out)
        return out
    }

    /// One streamed piece of text for choice `index`, with its finish reason on the last one.
    public func chunk(_ text: String, index: Int = 0, finishReason: String? = nil) -> ByteBuffer {
        var out = "data: " + head(chunk: true) + ",\"choices\":[{\"index\":\(index),"
        if endpoint == .chatCompletions {
            out += "\"delta\":{\"content\":"
            JSONWriter.appendString(text, to: &out)
            out += "}"
        } else {
            out += "\"text\":"
            JSONWriter.appendString(text, to: &out)
        }
        out += ",\"finish_reason\":"
        JSONWriter.appendOptionalString(finishReason, to: &out)
        out += "}]}\n\n"
        return ByteBuffer(string: out)
    }

    /// The usage chunk (choices empty), sent before `[DONE]`.
    public func usageChunk(_ usage: Usage) -> ByteBuffer {
        ByteBuffer(string: "data: " + head(chunk: true) + ",\"choices\":[],\"usage\":" + usage.json + "}\n\n")
    }

    /// The end of a stream.
    public static let done = ByteBuffer(string: "data: [DONE]\n\n")

    /// A whole (non-streamed) completion body with one entry per choice.
    public func completion(choices: [(text: String, finishReason: String)], usage: Usage) -> ByteBuffer {
        var out = head(chunk: false) + ",\"choices\":["
        for (index, choice) in choices.enumerated() {
            if index > 0 { out += "," }
            out += "{\"index\":\(index),"
            if endpoint == .chatCompletions {
                out += "\"message\":{\"role\":\"assistant\",\"content\":"
                JSONWriter.appendString(choice.text, to: &out)
                out += "}"
            } else {
                out += "\"text\":"
                JSONWriter.appendString(choice.text, to: &out)
            }
            out += ",\"finish_reason\":"
            JSONWriter.appendString(choice.finishReason, to: &out)
            out += "}"
        }
        out += "],\"usage\":" + usage.json + "}"
        return ByteBuffer(string: out)
    }
}
