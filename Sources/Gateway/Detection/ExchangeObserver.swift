import Store

/// Sees every exchange the gateway logs, after its answer went out.
///
/// `observe` is called on the request's task, so it must only hand the
/// exchange over (a queue append under a lock) and never wait.
public protocol ExchangeObserver: Sendable {
    /// Takes note of one finished exchange.
    func observe(_ exchange: LoggedExchange)
}
