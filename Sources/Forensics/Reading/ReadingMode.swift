import AegisCore

/// Reading mode (Sander et al. 2024, open model): teacher-force text through the
/// suspect and score its own top-1 prediction after every window of the text.
///
/// The tuple at position i is (x_{i−h}…x_{i−1}, ŷᵢ): the text's window and the
/// suspect's prediction. A suspect trained on our watermarked answers prefers green
/// continuations of windows it saw, so its predictions score high.
///
/// Validity when the text read is itself watermarked with the key: every PRF input
/// the text contains, (window, xᵢ), is excluded before scoring. A prediction equal
/// to the text's token would otherwise inherit the text's own watermark and make even
/// an innocent model look guilty; what remains are inputs the generator never chose,
/// whose green probability under H0 is at most γ, so the p-value stays valid.
public enum ReadingMode {
    /// Reads `texts` through `suspect` and returns the corpus of distinct tuples.
    /// - Parameters:
    ///   - prompts: texts whose tuples are excluded too (e.g. the prompts the texts answered).
    ///   - progress: called after each text with the number read.
    public static func read(texts: [[TokenID]], prompts: [[TokenID]] = [], suspect: inout some NextTokenPredictor,
                            scorer: TupleScorer, progress: (Int) -> Void = { _ in }) throws(ForensicsError) -> TupleCorpus {
        var corpus = TupleCorpus(scorer: scorer)
        for text in texts { corpus.exclude(text: text) }
        for prompt in prompts { corpus.exclude(text: prompt) }
        let h = scorer.contextWidth
        for (number, text) in texts.enumerated() {
            guard text.count >= max(h, 1) else { progress(number + 1); continue }
            let predictions = try suspect.topPredictions(text)
            // predictions[i − 1] follows x₀…x_{i−1}: position i, window x_{i−h}…x_{i−1}.
            for i in max(h, 1)...text.count where i - 1 < predictions.count {
                corpus.add(window: Array(text[(i - h)..<i]), token: predictions[i - 1])
            }
            progress(number + 1)
        }
        return corpus
    }
}
