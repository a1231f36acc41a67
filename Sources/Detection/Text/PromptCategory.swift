/// What a prompt asks the model to do that matters for distillation.
///
/// Each is a bit in ``PromptCategories``; a prompt may have several.
public enum PromptCategory: Int, Sendable, CaseIterable {
    /// Asks for the model's internal reasoning written out ("chain of thought",
    /// "your full reasoning process", "思维链").
    case reasoningElicitation
    /// Asks for step-by-step working in ordinary words ("step by step"): common
    /// in legitimate tutoring, so it counts for little on its own.
    case stepByStep
    /// Uses the model as a grader or reward model (rubrics, scores, "which response is better").
    case rubricGrading
    /// Asks for a rewrite that avoids censorship or "sensitive" content.
    case safeRewrite
    /// Asks for output shaped as training data (JSONL, instruction/response pairs, "fine-tuning set").
    case trainingFormat

    /// The bit of this category in a ``PromptCategories`` mask.
    public var bit: UInt8 { 1 << UInt8(rawValue) }
}

/// A set of ``PromptCategory`` values as a bit mask.
public typealias PromptCategories = UInt8

/// Coarse topics, enough to tell "everything is maths and code" from an
/// ordinary spread. 0 means no topic word was seen.
public enum Topic: UInt8, Sendable, CaseIterable {
    case none = 0, math, code, science, medicine, law, finance, history, writing, translation, business, lifestyle
}
