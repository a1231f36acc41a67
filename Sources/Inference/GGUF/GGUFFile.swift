/// A GGUF model file (versions 2 and 3), memory-mapped.
///
/// Layout: magic "GGUF", version, tensor count, metadata count, the metadata
/// key/value pairs, the tensor infos, padding to `general.alignment`, then the
/// tensor data. Tensors point straight into the mapping.
public struct GGUFFile: Sendable {
    /// The mapping that owns every tensor's bytes.
    public let file: MappedFile
    /// The GGUF version (2 or 3).
    public let version: UInt32
    /// All metadata, by key.
    public let metadata: [String: GGUFValue]
    /// All tensors, by name, in file order in `tensorNames`.
    public let tensors: [String: GGUFTensor]
    /// Tensor names in the order the file lists them.
    public let tensorNames: [String]

    /// Opens and indexes the GGUF file at `path`; tensor data is not read.
    public init(path: String) throws(GGUFError) {
        let file = try MappedFile(path: path)
        var reader = GGUFReader(file: file)
        guard file.count >= 4,
              try reader.scalar(UInt32.self, for: "the header") == 0x4655_4747  // "GGUF" little-endian
        else { throw .notGGUF(path: path) }
        let version = try reader.scalar(UInt32.self, for: "the header")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(path: path, version: version) }
        let tensorCount = try reader.scalar(UInt64.self, for: "the header")
        let metadataCount = try reader.scalar(UInt64.self, for: "the header")
        guard tensorCount < 1 << 20, metadataCount < 1 << 20 else {
            throw .malformed(path: path, what: "implausible counts (\(tensorCount) tensors, \(metadataCount) metadata keys)")
        }

        var metadata: [String: GGUFValue] = [:]
        for _ in 0..<metadataCount {
            let key = try reader.string(for: "a metadata key")
            let type = try reader.scalar(UInt32.self, for: "metadata '\(key)'")
            metadata[key] = try reader.value(ofType: type, for: key)
        }

        struct Info { var name: String; var shape: [Int]; var rawType: UInt32; var offset: UInt64 }
        var infos: [Info] = []
        for _ in 0..<tensorCount {
            let name = try reader.string(for: "a tensor name")
            let dimensions = try reader.scalar(UInt32.self, for: "tensor '\(name)'")
            guard dimensions >= 1, dimensions <= 4 else {
                throw .malformed(path: path, what: "tensor '\(name)' has \(dimensions) dimensions")
            }
            var shape: [Int] = []
            for _ in 0..<dimensions {
                let extent = try reader.scalar(UInt64.self, for: "tensor '\(name)'")
                guard extent > 0, extent < 1 << 32 else {
                    throw .malformed(path: path, what: "tensor '\(name)' has extent \(extent)")
                }
                shape.append(Int(extent))
            }
            let rawType = try reader.scalar(UInt32.self, for: "tensor '\(name)'")
            let offset = try reader.scalar(UInt64.self, for: "tensor '\(name)'")
            infos.append(Info(name: name, shape: shape, rawType: rawType, offset: offset))
        }

        let alignment = metadata["general.alignment"]?.int ?? 32
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw .malformed(path: path, what: "general.alignment \(alignment) is not a power of two")
        }
        let dataStart = (reader.offset + alignment - 1) / alignment * alignment

        var tensors: [String: GGUFTensor] = [:]
        for info in infos {
            let elements = info.shape.reduce(1, *)
            let byteCount: Int
            if let type = GGMLType(rawValue: info.rawType) {
                guard info.shape[0] % type.blockSize == 0 else {
                    throw .malformed(path: path, what: "tensor '\(info.name)' has \(info.shape[0]) columns, not a multiple of \(type.name)'s block of \(type.blockSize)")
                }
                byteCount = elements / type.blockSize * type.bytesPerBlock
            } else {
                byteCount = 0  // Unknown type: indexed, refused when used.
            }
            guard info.offset < UInt64(file.count),
                  dataStart + Int(info.offset) + byteCount <= file.count
            else { throw .truncated(path: path, what: "the data of tensor '\(info.name)'") }
            tensors[info.name] = GGUFTensor(
                name: info.name, shape: info.shape, rawType: info.rawType,
                data: file.base + dataStart + Int(info.offset), byteCount: byteCount)
        }

        self.file = file
        self.version = version
        self.metadata = metadata
        self.tensors = tensors
        self.tensorNames = infos.map(\.name)
    }

    /// A required integer metadata value.
    public func int(_ key: String) throws(GGUFError) -> Int {
        guard let value = metadata[key] else { throw .missingMetadata(key: key) }
        guard let int = value.int else { throw .wrongMetadataType(key: key, expected: "an integer") }
        return int
    }

    /// A required floating-point metadata value.
    public func double(_ key: String) throws(GGUFError) -> Double {
        guard let value = metadata[key] else { throw .missingMetadata(key: key) }
        guard let double = value.double else { throw .wrongMetadataType(key: key, expected: "a number") }
        return double
    }

    /// A required string metadata value.
    public func string(_ key: String) throws(GGUFError) -> String {
        guard let value = metadata[key] else { throw .missingMetadata(key: key) }
        guard let string = value.string else { throw .wrongMetadataType(key: key, expected: "a string") }
        return string
    }

    /// A required array metadata value.
    public func array(_ key: String) throws(GGUFError) -> [GGUFValue] {
        guard let value = metadata[key] else { throw .missingMetadata(key: key) }
        guard let array = value.array else { throw .wrongMetadataType(key: key, expected: "an array") }
        return array
    }

    /// A required tensor of a type Aegis can compute with.
    public func tensor(_ name: String) throws(GGUFError) -> GGUFTensor {
        guard let tensor = tensors[name] else { throw .missingTensor(name: name) }
        guard let type = tensor.type, type.isSupported else {
            let typeName = tensor.type?.name ?? "ggml type \(tensor.rawType)"
            throw .unsupportedTensorType(name: name, type: typeName)
        }
        return tensor
    }
}

/// One tensor of a GGUF file: its shape and a pointer to its bytes in the mapping.
///
/// `shape[0]` is the innermost (fastest-varying) extent, as in ggml: a weight
/// matrix with `shape == [columns, rows]` stores `rows` rows of `columns` values.
public struct GGUFTensor: @unchecked Sendable {
    /// The tensor's name, e.g. "blk.0.attn_q.weight".
    public let name: String
    /// Extents, innermost first.
    public let shape: [Int]
    /// The ggml type number as stored.
    public let rawType: UInt32
    /// The first byte of the tensor's data, inside the immutable mapping.
    public let data: UnsafeRawPointer
    /// Bytes the tensor occupies.
    public let byteCount: Int

    /// The element type, or nil for a type ggml has that Aegis does not know.
    public var type: GGMLType? { GGMLType(rawValue: rawType) }
    /// Number of columns (the innermost extent).
    public var columns: Int { shape[0] }
    /// Number of rows (the product of the outer extents).
    public var rows: Int { shape.dropFirst().reduce(1, *) }
    /// Bytes per row.
    public var rowBytes: Int { byteCount / max(rows, 1) }
}
