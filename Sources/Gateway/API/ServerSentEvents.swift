import AegisCore
import NIOCore

/// Relays an upstream's server-sent events to the client as they arrive,
/// reading each event on the way for the log and for usage.
///
/// Events are forwarded byte for byte, except: the usage-only chunk the gateway
/// asked for is dropped when the client did not ask for it, and when the client
/// did ask but the upstream sent none, one is made (estimated) before `[DONE]`.
struct ServerSentEventRelay {
    private var pending: [UInt8] = []
    private(set) var summary = ResponseSummary()
    private(set) var sawDone = false
    private(set) var forwardedContent = false
    private let includeUsage: Bool
    private let promptEstimate: Int
    private let withholding: PolicyDecision.Withholding
    private var template: (id: String, object: String, created: String, model: String)?

    init(includeUsage: Bool, promptEstimate: Int, withholding: PolicyDecision.Withholding = []) {
        self.includeUsage = includeUsage
        self.promptEstimate = promptEstimate
        self.withholding = withholding
    }

    /// Takes the next chunk from the upstream; returns what to send the client now.
    mutating func feed(_ chunk: ByteBuffer) -> ByteBuffer {
        pending.append(contentsOf: chunk.readableBytesView)
        var out = ByteBuffer()
        var start = 0
        var index = 0
        while index + 1 < pending.count {
            guard pending[index] == 0x0A else { index += 1; continue }
            var end = 0
            if pending[index + 1] == 0x0A {
                end = index + 2
            } else if pending[index + 1] == 0x0D, index + 2 < pending.count, pending[index + 2] == 0x0A {
                end = index + 3
            } else {
                index += 1
                continue
            }
            handle(event: start..<end, into: &out)
            start = end
            index = end
        }
        if start > 0 { pending.removeFirst(start) }
        return out
    }

    /// Called when the upstream's stream ends; returns a final event to send (an error when it was cut short).
    mutating func finish() -> ByteBuffer? {
        guard !sawDone else { return nil }
        return Self.errorEvent(GatewayError.upstreamFailed("the stream ended before [DONE]"))
    }

    /// Usage as reported, or estimated when the upstream sent none.
    var usage: Usage {
        if let usage = summary.usage { return usage }
        let completion = summary.choices.reduce(0) { $0 + $1.chunks }
        return Usage(promptTokens: promptEstimate, completionTokens: completion, estimated: true)
    }

    /// An in-band error event (OpenAI clients raise it as an APIError).
    static func errorEvent(_ error: GatewayError) -> ByteBuffer {
        ByteBuffer(string: "data: " + error.body + "\n\n")
    }

    private mutating func handle(event range: Range<Int>, into out: inout ByteBuffer) {
        let data = Self.data(of: pending[range])
        if data.elementsEqual("[DONE]".utf8) {
            sawDone = true
            if includeUsage, summary.usage == nil, let template {
                var usage = self.usage
                usage.estimated = true
                summary.usage = usage
                var event = "data: {\"id\":"
                JSONWriter.appendString(template.id, to: &event)
                event += ",\"object\":"
                JSONWriter.appendString(template.object, to: &event)
                event += ",\"created\":\(template.created),\"model\":"
                JSONWriter.appendString(template.model, to: &event)
                event += ",\"choices\":[],\"usage\":\(usage.json)}\n\n"
                out.writeString(event)
            }
            out.writeBytes(pending[range])
            return
        }
        guard let parsed = JSONValue.parse(data) else {
            out.writeBytes(pending[range])  // not JSON (a comment, a keep-alive): pass it on
            return
        }
        // A degraded answer loses its reasoning and logprobs before anything else looks at it.
        let withheld = withholding.filter(parsed)
        let json = withheld ?? parsed
        if template == nil, let id = json["id"]?.stringValue, let model = json["model"]?.stringValue {
            template = (id, json["object"]?.stringValue ?? "chat.completion.chunk", json["created"]?.intValue.map(String.init) ?? "0", model)
        }
        let usageOnly = summary.add(chunk: json)
        if !includeUsage, usageOnly { return }
        if !includeUsage, let usage = json["usage"], !usage.isNull {
            out.writeString("data: " + JSONWriter().string(json.removing("usage")) + "\n\n")
        } else if withheld != nil {
            out.writeString("data: " + JSONWriter().string(json) + "\n\n")
        } else {
            out.writeBytes(pending[range])
        }
        forwardedContent = true
    }

    /// The payload of an event's `data:` lines, joined by newlines.
    private static func data(of event: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        var lineStart = event.startIndex
        var first = true
        for index in event.indices where event[index] == 0x0A {
            var line = event[lineStart..<index]
            lineStart = index + 1
            if line.last == 0x0D { line = line.dropLast() }
            guard line.starts(with: "data:".utf8) else { continue }
            line = line.dropFirst(5)
            if line.first == 0x20 { line = line.dropFirst() }
            if !first { result.append(0x0A) }
            result.append(contentsOf: line)
            first = false
        }
        return result
    }
}
