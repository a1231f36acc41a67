import AegisCore

/// Sees every exchange the gateway logs, after its answer went out.
///
/// `observe` is called on the request's task, so it must only hand the
/// exchange over (a queue append under a lock) and never wait. It gets the
/// record the log line was written from (the request body already parsed),
/// so nothing reads the line back.
public protocol ExchangeObserver: Sendable {
    /// Takes note of one finished exchange.
    func observe(_ exchange: Exchange)
}
