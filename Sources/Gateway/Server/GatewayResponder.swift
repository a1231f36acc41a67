import AegisCore
import Hummingbird
import NIOCore

/// Routes requests: a switch on method and path (cheaper than a router for five routes).
public struct GatewayResponder: HTTPResponder {
    public typealias Context = GatewayContext
    let core: GatewayCore

    public func respond(to request: Request, context: GatewayContext) async throws -> Response {
        switch (request.method, request.uri.path) {
        case (.post, "/v1/chat/completions"):
            return await core.complete(.chatCompletions, request: request, context: context)
        case (.post, "/v1/completions"):
            return await core.complete(.completions, request: request, context: context)
        case (.get, "/v1/models"):
            return await models(authorization: request.headers[.authorization])
        case (.get, "/healthz"):
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
        case (.get, "/metrics"):
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(bytes: core.metrics.render())))
        default:
            let error = GatewayError.unknownRoute(request.method.rawValue, request.uri.path)
            core.metrics.request(endpoint: "other", status: 404, seconds: 0)
            return GatewayCore.response(error)
        }
    }

    private func models(authorization: String?) async -> Response {
        let start = ContinuousClock.now
        do {
            _ = try await core.authenticator.authenticate(authorization: authorization)
            let models = try await core.models()
            var out = "{\"object\":\"list\",\"data\":["
            for (index, model) in models.enumerated() {
                if index > 0 { out += "," }
                out += "{\"id\":"
                JSONWriter.appendString(model, to: &out)
                out += ",\"object\":\"model\",\"created\":0,\"owned_by\":\"aegis\"}"
            }
            out += "]}"
            core.metrics.request(endpoint: "models", status: 200, seconds: GatewayCore.seconds(since: start))
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: out)))
        } catch {
            core.metrics.request(endpoint: "models", status: error.status, seconds: GatewayCore.seconds(since: start))
            return GatewayCore.response(error)
        }
    }
}
