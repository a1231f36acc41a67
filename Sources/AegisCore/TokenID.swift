/// A token id in a model's vocabulary.
///
/// 32 bits hold every vocabulary in use (SmolLM2: 49,152; Qwen2.5: 151,936)
/// and halve the memory of token sequences compared with `Int`.
public typealias TokenID = Int32
