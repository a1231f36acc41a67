import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers 408 and closes the connection when a request body does not arrive
/// within the deadline (slow or stalled clients).
///
/// It sits in the channel pipeline, so the deadline costs a clock read per
/// request and at most one event-loop timer per connection, instead of a pair
/// of tasks racing in the request handler. The request
/// handler sees its body read fail and logs the exchange as 408.
final class BodyDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    /// When the body being read must be complete; nil between requests.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timedOut = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !timedOut else { return }  // the connection is closing; drop the rest
        switch unwrapInboundIn(data) {
        case .head:
            // One timer per connection, re-armed lazily: keep-alive connections
            // serving many quick requests schedule almost nothing.
            let deadline = NIODeadline.now() + timeout
            self.deadline = deadline
            if timer == nil { arm(context: context, at: deadline) }
        case .end:
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    private func arm(context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.check(context: context)
        }
    }

    private func check(context: ChannelHandlerContext) {
        timer = nil
        guard let deadline else { return }  // no body pending: disarm until the next request
        if NIODeadline.now() >= deadline {
            expire(context: context)
        } else {
            arm(context: context, at: deadline)
        }
    }

    private func expire(context: ChannelHandlerContext) {
        timedOut = true
        let error = GatewayError.bodyTimeout
        var head = HTTPResponse(status: error.status)
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.connection] = "close"
        let body = ByteBuffer(string: error.body)
        head.headerFields[.contentLength] = String(body.readableBytes)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
