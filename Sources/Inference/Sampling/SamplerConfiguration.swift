/// How the next token is drawn from the model's distribution.
public struct SamplerConfiguration: Sendable, Equatable {
    /// Divides the logits; 0 means greedy (always the most likely token).
    public var temperature: Float
    /// Keep only the k most likely tokens (0 = no limit).
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches p (1 = no limit).
    public var topP: Float
    /// Drop tokens less likely than min-p × the most likely one (0 = off).
    public var minP: Float
    /// Divides positive logits (multiplies negative ones) of recently seen tokens; 1 = off.
    public var repetitionPenalty: Float
    /// How many recent tokens the repetition penalty looks at.
    public var repetitionWindow: Int
    /// Seed of the random draw: the same seed gives the same completion.
    public var seed: UInt64

    /// A configuration; the defaults are llama.cpp's common ones, minus top-k.
    public init(temperature: Float = 0.8, topK: Int = 0, topP: Float = 0.95, minP: Float = 0.05,
                repetitionPenalty: Float = 1.0, repetitionWindow: Int = 64, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
    }

    /// Always the most likely token.
    public static let greedy = SamplerConfiguration(temperature: 0, topK: 0, topP: 1, minP: 0)
}
