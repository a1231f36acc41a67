import Hummingbird

/// Per-request context of the TAXII server: Hummingbird's core storage only.
public struct TAXIIContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage

    /// Creates the context of one request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
