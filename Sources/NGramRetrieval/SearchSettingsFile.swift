import FileIO
import Foundation

// Search settings that travel with a generator: `<index>/generator/search.json`, read by
// `Retriever(directory:)` as the defaults of `retrieve query`, `eval` and `serve`. The file
// may give any subset of the fields (the rest keep ``SearchSettings``' defaults); an unknown
// field is an error, so a misspelt setting cannot be ignored silently. It lives in the
// generator folder because the settings are chosen for that generator: retraining replaces
// the folder and drops them.

extension SearchSettings {
    /// Name of the settings file in a generator folder.
    public static let fileName = "search.json"

    /// The settings in `url`, over the defaults; the defaults when the file does not exist.
    ///
    /// - Throws: ``RetrievalError/malformedRecord(path:line:reason:)`` naming the file and the
    ///   field for unreadable JSON, an unknown or mistyped field, or a value out of range.
    public static func load(from url: URL) throws -> SearchSettings {
        guard FileManager.default.fileExists(atPath: url.path) else { return SearchSettings() }
        func fail(_ reason: String) -> RetrievalError { .malformedRecord(path: url.path, line: 1, reason: reason) }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
                throw fail("expected a JSON object of search settings")
            }
            object = parsed
        } catch let error as RetrievalError {
            throw error
        } catch {
            throw fail("not readable JSON (\(error.localizedDescription))")
        }
        let known = Set(SearchSettings.CodingKeys.allCases.map(\.stringValue))
        let knownScoring = Set(ScoringSettings.CodingKeys.allCases.map(\.stringValue))
        for key in object.keys.sorted() where !known.contains(key) { throw fail("unknown setting '\(key)'") }
        if let scoring = object["scoring"] as? [String: Any] {
            for key in scoring.keys.sorted() where !knownScoring.contains(key) { throw fail("unknown setting 'scoring.\(key)'") }
        }
        let settings: SearchSettings
        do {
            settings = try JSONDecoder().decode(SearchSettings.self, from: Data(contentsOf: url))
        } catch let DecodingError.typeMismatch(type, context) {
            let kind = type == Bool.self ? "true or false" : type == Int.self ? "an integer" : type == Double.self ? "a number" : "a \(type)"
            throw fail("'\(DecodingError.pathDescription(context.codingPath))' must be \(kind)")
        } catch let DecodingError.dataCorrupted(context) {
            throw fail("'\(DecodingError.pathDescription(context.codingPath))': \(context.debugDescription)")
        } catch let error as DecodingError {
            throw fail(error.oneLineDescription)
        } catch {
            throw fail("\(error)")
        }
        do { try settings.validate() } catch { throw fail("\(error)") }
        return settings
    }

    /// Writes the settings (every field) to `url` atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        do {
            try AtomicWrite.data(data, to: url)
        } catch let error as FileIOError {
            throw RetrievalError.fileAccess(path: url.path, reason: "cannot write (\(error.reason))")
        }
    }
}
