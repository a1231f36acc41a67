/// Settings of `aegis exchange serve`.
public struct TAXIIConfiguration: Sendable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one.
    public var port = 9443
    /// The API root's path segment: the server's one API root is `/<apiRoot>/`.
    public var apiRoot = "aegis"
    /// Largest request body in bytes; 413 above (advertised as max_content_length).
    public var maxBodyBytes = 16 << 20
    /// Objects per page when the client sets no limit.
    public var defaultPageSize = 1000
    /// Most objects per page whatever the client asks.
    public var maximumPageSize = 10_000
    /// Wrong passwords for one user name within ``failureWindow`` before the
    /// name is refused without a password check until the window has passed.
    public var failureLimit = 10
    /// Seconds over which failed logins are counted.
    public var failureWindow: Double = 60
    /// PEM certificate chain and private key files; TLS when both are set.
    public var tlsCertificate: String?, tlsKey: String?

    /// The defaults.
    public init() {}
}
