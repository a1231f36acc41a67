import Synchronization

/// What an upstream reports about one request besides the answer: the tokens
/// it really cost the provider and how the answer was marked.
///
/// The gateway makes one per request and reads it when the answer is done
/// (for a stream, after its last event), so an upstream that asks a model
/// server several times (draft selection) can charge every candidate to the
/// account's tokens-per-minute limit.
public final class UpstreamMeter: Sendable {
    private let state = Mutex<(tokens: Int?, mark: AnswerMark?)>((nil, nil))

    /// A meter with nothing recorded.
    public init() {}

    /// Adds tokens (prompt and completion) spent at the model server.
    public func charge(_ tokens: Int) {
        state.withLock { $0.tokens = ($0.tokens ?? 0) + max(0, tokens) }
    }

    /// Records how the answer was marked (the last call wins).
    public func record(_ mark: AnswerMark) {
        state.withLock { $0.mark = mark }
    }

    /// The tokens charged, or nil when the upstream charged none (the answer's own usage counts then).
    public var tokens: Int? { state.withLock { $0.tokens } }

    /// The mark recorded, or nil when the upstream recorded none.
    public var mark: AnswerMark? { state.withLock { $0.mark } }
}
