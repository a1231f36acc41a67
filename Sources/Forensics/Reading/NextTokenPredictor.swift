import AegisCore

/// A suspect model read in teacher-forcing mode: its most likely next token after
/// every prefix of a text.
public protocol NextTokenPredictor {
    /// For a text x₀…x_{L−1}, element i is the model's top-1 prediction for position
    /// i + 1 after reading x₀…xᵢ (so the last element predicts past the end).
    mutating func topPredictions(_ text: [TokenID]) throws(ForensicsError) -> [TokenID]
}
