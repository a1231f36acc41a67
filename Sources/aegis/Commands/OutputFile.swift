import AegisCore
import Foundation

/// A file written through a buffer, with errors a person can act on.
struct OutputFile {
    private let handle: UnsafeMutablePointer<FILE>
    let path: String

    init(path: String) throws {
        guard let h = fopen(path, "wb") else {
            throw InvalidInput("cannot write '\(path)': \(String(cString: strerror(errno))); check the directory exists and is writable")
        }
        handle = h
        self.path = path
    }

    func write(_ bytes: [UInt8]) throws {
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard n == bytes.count else { throw InvalidInput("cannot write '\(path)': \(String(cString: strerror(errno)))") }
    }

    func close() throws {
        guard fclose(handle) == 0 else { throw InvalidInput("cannot finish writing '\(path)': \(String(cString: strerror(errno)))") }
    }
}
