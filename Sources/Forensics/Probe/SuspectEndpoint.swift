/// A closed suspect model behind an API: asked one prompt, it answers one text.
///
/// The seam between the probe and the network: the aegis CLI implements it for
/// OpenAI-compatible endpoints; tests use scripted endpoints.
public protocol SuspectEndpoint: Sendable {
    /// The suspect's answer to `prompt`.
    /// - Throws: `SuspectFailure`: `.transient` ones are retried with backoff.
    func answer(prompt: String) async throws(SuspectFailure) -> String
}

/// Why a suspect endpoint gave no answer.
public enum SuspectFailure: Error, Sendable, Equatable {
    /// Worth retrying: a timeout, a dropped connection, HTTP 429 or 5xx.
    case transient(String)
    /// Not worth retrying: authentication, an unknown model, a malformed reply.
    case permanent(String)
}
