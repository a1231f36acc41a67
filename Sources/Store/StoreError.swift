import AegisCore

/// What can go wrong in a store, with what to do about it.
public enum StoreError: AegisError, Equatable {
    /// No account of that name.
    case unknownAccount(String)
    /// No key with that id.
    case unknownKey(String)
    /// The database could not be opened or used.
    case database(String)
    /// The HMAC secret file is unusable.
    case secretFile(path: String, problem: String)

    public var description: String {
        switch self {
        case .unknownAccount(let name):
            "no account named \"\(name)\"; create one with `aegis keys create --account \(name)`"
        case .unknownKey(let id):
            "no API key with id \"\(id)\"; list keys with `aegis keys list`"
        case .database(let message):
            "database error: \(message); check the --db path and that no other program holds a lock on it"
        case let .secretFile(path, problem):
            "the key-hash secret \(path) \(problem); restore it from backup (keys hashed under another secret no longer authenticate)"
        }
    }
}
