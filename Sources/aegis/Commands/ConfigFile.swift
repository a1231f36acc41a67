import AegisCore
import Foundation

/// `aegis serve`'s optional JSON config file: an object keyed by long option
/// names. Each module's settings decode from it with their own defaults.
struct ConfigFile {
    private var data = Data("{}".utf8)
    private var path = ""

    /// No file: every setting keeps its default.
    init() {}

    /// Reads and checks the file; a one-line error when it is missing or not an object.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InvalidInput("cannot read the config file \(path); check the path")
        }
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw InvalidInput("the config file \(path) is not a JSON object; write it as {\"upstream\": \"http://…/v1\", \"port\": 8080}")
        }
        self.data = data
        self.path = path
    }

    /// The settings a module decodes from the file (its defaults where the file is silent).
    func decode<Settings: Decodable>(_ type: Settings.Type = Settings.self) throws -> Settings {
        do {
            return try JSONDecoder().decode(Settings.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            let problem = context.debugDescription.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            throw InvalidInput("the config file \(path): '\(key)' \(problem); fix that value")
        } catch {
            throw InvalidInput("the config file \(path) could not be read: \(error)")
        }
    }
}
