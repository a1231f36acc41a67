import AegisCore

/// What can go wrong when opening a GGUF model file.
public enum GGUFError: AegisError, Equatable {
    case cannotOpen(path: String, reason: String)
    case notGGUF(path: String)
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String, what: String)
    case malformed(path: String, what: String)
    case missingMetadata(key: String)
    case wrongMetadataType(key: String, expected: String)
    case missingTensor(name: String)
    case unsupportedTensorType(name: String, type: String)
    case unsupportedArchitecture(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open model file \(path): \(reason); check the path (scripts/fetch-model installs SmolLM2 into models/)"
        case let .notGGUF(path):
            return "\(path) is not a GGUF file (no 'GGUF' magic); pass a .gguf model such as models/SmolLM2-135M-Instruct.Q4_1.gguf"
        case let .unsupportedVersion(path, version):
            return "\(path) is GGUF version \(version); Aegis reads versions 2 and 3, convert the model with a current llama.cpp"
        case let .truncated(path, what):
            return "\(path) is truncated (ends inside \(what)); download the model again"
        case let .malformed(path, what):
            return "\(path) is malformed: \(what); download or convert the model again"
        case let .missingMetadata(key):
            return "the model has no metadata key '\(key)'; it was not converted for a Llama-family architecture Aegis supports"
        case let .wrongMetadataType(key, expected):
            return "the model's metadata key '\(key)' is not \(expected); the file is malformed, convert the model again"
        case let .missingTensor(name):
            return "the model has no tensor '\(name)'; the file is incomplete or of an unsupported architecture"
        case let .unsupportedTensorType(name, type):
            return "tensor '\(name)' has type \(type), which Aegis cannot compute with; use a model quantised as F32, F16, Q8_0, Q4_0, Q4_1, Q4_K or Q6_K"
        case let .unsupportedArchitecture(arch):
            return "model architecture '\(arch)' is not supported; Aegis runs 'llama' and 'qwen2' models"
        }
    }
}
