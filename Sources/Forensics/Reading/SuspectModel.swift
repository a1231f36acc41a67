import AegisCore
import Inference

/// A suspect model in a GGUF file, run by the built-in engine for reading mode.
///
/// Reading mode scores the suspect's own predictions against our green lists, so
/// the suspect must share the vocabulary of the watermarked model: token ids are the
/// PRF's inputs. The check compares the two files' token lists.
public struct SuspectModel: NextTokenPredictor {
    /// The suspect's file.
    public let path: String
    private let session: InferenceSession

    /// Opens the suspect at `path` and checks its vocabulary against `reference`
    /// (the GGUF whose tokenizer the watermark was embedded with).
    /// - Throws: `ForensicsError.notAModel` or `.otherVocabulary`.
    public init(path: String, reference: GGUFFile, threads: Int? = nil, contextLength: Int = 1024) throws(ForensicsError) {
        let gguf: GGUFFile
        let model: LanguageModel
        do {
            gguf = try GGUFFile(path: path)
            model = try LanguageModel(gguf: gguf)
        } catch {
            throw .notAModel(path: path, reason: error.description)
        }
        try Self.checkVocabulary(suspect: gguf, reference: reference, path: path)
        self.path = path
        session = InferenceSession(model: model, contextLength: min(contextLength, model.configuration.contextLength),
                                   threadCount: threads)
    }

    /// Throws unless both files list the same tokens in the same order.
    public static func checkVocabulary(suspect: GGUFFile, reference: GGUFFile, path: String) throws(ForensicsError) {
        let key = "tokenizer.ggml.tokens"
        guard let theirs = suspect.metadata[key]?.array else {
            throw .otherVocabulary(path: path, detail: "the file has no tokenizer")
        }
        guard let ours = reference.metadata[key]?.array else {
            throw .otherVocabulary(path: reference.file.path, detail: "the reference model has no tokenizer")
        }
        guard theirs.count == ours.count else {
            throw .otherVocabulary(path: path, detail: "\(theirs.count) tokens, the watermarked model has \(ours.count)")
        }
        if let index = theirs.indices.first(where: { theirs[$0] != ours[$0] }) {
            throw .otherVocabulary(path: path, detail: "token \(index) differs")
        }
    }

    /// Teacher-forces `text` in windows of the session's context length (each
    /// window read from an empty cache) and returns the top-1 prediction after each token.
    public mutating func topPredictions(_ text: [TokenID]) throws(ForensicsError) -> [TokenID] {
        var predictions: [TokenID] = []
        predictions.reserveCapacity(text.count)
        var start = 0
        while start < text.count {
            let chunk = Array(text[start..<min(text.count, start + session.contextLength)])
            session.reset()
            do {
                try session.evaluate(chunk) { _, logits in
                    var best = 0
                    var bestValue = -Float.infinity
                    for index in logits.indices where logits[index] > bestValue {
                        best = index
                        bestValue = logits[index]
                    }
                    predictions.append(TokenID(best))
                }
            } catch {
                throw .notAModel(path: path, reason: error.description)
            }
            start += chunk.count
        }
        return predictions
    }
}
