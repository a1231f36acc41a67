/// A TAXII collection as stored, with one user's rights on it.
public struct TAXIICollection: Sendable, Equatable {
    /// The collection's id (a UUID).
    public var id: String
    /// Its title.
    public var title: String
    /// Its description, if any.
    public var description: String?
    /// Whether the user may read it.
    public var canRead = false
    /// Whether the user may add to it.
    public var canWrite = false

    /// Creates a collection value.
    public init(id: String, title: String, description: String? = nil, canRead: Bool = false, canWrite: Bool = false) {
        self.id = id
        self.title = title
        self.description = description
        self.canRead = canRead
        self.canWrite = canWrite
    }
}

/// A user as stored: the password hash and the rights per collection id.
public struct TAXIIUser: Sendable, Equatable {
    /// The user name.
    public var name: String
    /// The stored password hash (``PasswordHash/encoded``).
    public var passwordHash: String
    /// Collection id → (can read, can write).
    public var rights: [String: Rights]

    /// What a user may do with one collection.
    public struct Rights: Sendable, Equatable {
        /// May read objects.
        public var read: Bool
        /// May add (and delete) objects.
        public var write: Bool
    }
}

/// One stored object version.
public struct StoredObject: Sendable {
    /// Insertion order, the paging cursor.
    public var seq: Int64
    /// The STIX id.
    public var id: String
    /// When this server added it (microseconds since 1970).
    public var dateAdded: Int64
    /// Its version (`modified`, else `created`, else the date added).
    public var version: String
    /// The object's JSON text as received.
    public var json: String
}
