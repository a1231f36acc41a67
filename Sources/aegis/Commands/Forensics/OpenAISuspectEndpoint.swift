import AsyncHTTPClient
import Forensics
import Foundation
import NIOCore

/// A suspect behind an OpenAI-compatible `/chat/completions` endpoint.
struct OpenAISuspectEndpoint: SuspectEndpoint {
    let client: HTTPClient
    /// The base URL, ending in /v1.
    let baseURL: String
    let model: String
    let apiKey: String?
    let timeout: TimeAmount
    let maxTokens: Int
    let temperature: Double?

    func answer(prompt: String) async throws(SuspectFailure) -> String {
        var request = HTTPClientRequest(url: baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        var body: [String: Any] = [
            "model": model,
            "messages": [["role": "user", "content": prompt]],
            "max_tokens": maxTokens,
        ]
        if let temperature { body["temperature"] = temperature }
        guard let data = try? JSONSerialization.data(withJSONObject: body) else { throw .permanent("cannot encode the request") }
        request.body = .bytes(ByteBuffer(bytes: data))
        let status: UInt
        let reply: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: timeout)
            status = response.status.code
            reply = try await response.body.collect(upTo: 16 << 20)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .transient("no answer within \(timeout.nanoseconds / 1_000_000_000) s")
        } catch let error as HTTPClientError where error == .invalidURL || error == .emptyHost || error == .emptyScheme {
            throw .permanent("\(baseURL) is not a usable URL")
        } catch {
            throw .transient(String(describing: error).split(separator: "\n").first.map(String.init) ?? "connection failed")
        }
        let text = String(buffer: reply)
        guard (200..<300).contains(status) else {
            let detail = Self.errorMessage(text).map { ": \($0)" } ?? ""
            if status == 429 || status >= 500 || status == 408 { throw .transient("HTTP \(status)\(detail)") }
            throw .permanent("HTTP \(status)\(detail)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]],
              let message = choices.first?["message"] as? [String: Any],
              let content = message["content"] as? String
        else { throw .permanent("the reply has no choices[0].message.content; is \(baseURL) an OpenAI-compatible /v1 endpoint?") }
        return content
    }

    /// The `error.message` of an OpenAI error body, on one line.
    private static func errorMessage(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let error = object["error"] as? [String: Any], let message = error["message"] as? String
        else { return nil }
        return String(message.prefix(200)).replacingOccurrences(of: "\n", with: " ")
    }
}
