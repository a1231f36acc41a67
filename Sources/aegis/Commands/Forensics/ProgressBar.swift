import Foundation

/// A progress bar on standard error when it is a terminal; silent when piped.
final class ProgressBar {
    private let label: String
    private let total: Int
    private let enabled = isatty(STDERR_FILENO) != 0
    private var last = -1

    init(label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let width = 30
        let filled = min(width, done * width / total)
        let percent = min(100, done * 100 / total)
        guard percent != last else { return }
        last = percent
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled, last >= 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
