#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// The result of ``InferenceSession/generate(prompt:maxTokens:sampler:stopTokens:onToken:)``.
public struct Completion: Sendable, Equatable {
    /// Why generation ended.
    public enum StopReason: String, Sendable {
        /// A stop token (end of sequence) was drawn; it is not in `tokens`.
        case stopToken = "stop"
        /// `maxTokens` were generated.
        case length
        /// The context is full.
        case contextFull = "context"
        /// The `onToken` callback asked to stop.
        case cancelled
    }

    /// The generated tokens (without the prompt or the stop token).
    public let tokens: [TokenID]
    /// Why it ended.
    public let stopReason: StopReason
    /// Prompt tokens evaluated.
    public let promptTokens: Int
    /// Seconds spent on the prompt.
    public let promptSeconds: Double
    /// Seconds spent generating. In a batch, the wall time from the first
    /// decoding step until this sequence ended (shared with the others).
    public let generationSeconds: Double
    /// The natural-log probability of each generated token under the model's
    /// own distribution (temperature 1, before the sampler changed anything),
    /// when the caller asked for them; nil otherwise.
    public internal(set) var logProbabilities: [Float]? = nil

    /// Generated tokens per second (decode speed).
    public var tokensPerSecond: Double {
        generationSeconds > 0 ? Double(tokens.count) / generationSeconds : 0
    }
}

extension InferenceSession {
    /// Evaluates `prompt` from an empty cache, then draws up to `maxTokens`
    /// tokens with `sampler`, stopping at any of `stopTokens`.
    /// `onToken` sees each token as it is drawn and may return false to stop.
    public func generate(prompt: [TokenID], maxTokens: Int, sampler: Sampler,
                         stopTokens: Set<TokenID> = [],
                         onToken: ((TokenID) -> Bool)? = nil) throws(InferenceError) -> Completion {
        var sampler = sampler
        reset()
        let start = monotonicSeconds()
        try evaluate(prompt)
        let promptSeconds = monotonicSeconds() - start
        var context = prompt
        context.reserveCapacity(prompt.count + maxTokens)
        var generated: [TokenID] = []
        generated.reserveCapacity(maxTokens)
        var reason = Completion.StopReason.length
        var next: [TokenID] = [0]  // reused: no allocation per token
        let decodeStart = monotonicSeconds()
        while generated.count < maxTokens {
            let token = context.withUnsafeBufferPointer { sampler.sample(logits: logits, context: $0) }
            if stopTokens.contains(token) { reason = .stopToken; break }
            generated.append(token)
            context.append(token)
            if let onToken, !onToken(token) { reason = .cancelled; break }
            if generated.count == maxTokens { break }
            if tokens.count >= contextLength { reason = .contextFull; break }
            next[0] = token
            try evaluate(next)
        }
        return Completion(tokens: generated, stopReason: reason, promptTokens: prompt.count,
                          promptSeconds: promptSeconds, generationSeconds: monotonicSeconds() - decodeStart)
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
