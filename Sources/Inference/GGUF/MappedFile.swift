#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file.
///
/// Model weights are used in place from the mapping: nothing is copied, so a
/// model costs little more resident memory than the pages actually touched.
/// The mapping is immutable for its whole life, which is why sharing it across
/// threads is safe (hence `@unchecked Sendable`).
public final class MappedFile: @unchecked Sendable {
    /// The first byte of the mapping.
    public let base: UnsafeRawPointer
    /// The file's size in bytes.
    public let count: Int
    /// The path the file was opened from, for error messages.
    public let path: String

    /// Maps the file at `path` read-only.
    public init(path: String) throws(GGUFError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        count = Int(info.st_size)
        guard count > 0 else { throw .notGGUF(path: path) }
        guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(pointer)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), count)
    }
}
