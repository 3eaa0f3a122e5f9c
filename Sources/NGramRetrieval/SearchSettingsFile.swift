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
        let known = Set(PartialSettings.CodingKeys.allCases.map(\.stringValue))
        let knownScoring = Set(PartialScoring.CodingKeys.allCases.map(\.stringValue))
        for key in object.keys.sorted() where !known.contains(key) { throw fail("unknown setting '\(key)'") }
        if let scoring = object["scoring"] as? [String: Any] {
            for key in scoring.keys.sorted() where !knownScoring.contains(key) { throw fail("unknown setting 'scoring.\(key)'") }
        }
        let partial: PartialSettings
        do {
            partial = try JSONDecoder().decode(PartialSettings.self, from: Data(contentsOf: url))
        } catch let DecodingError.typeMismatch(type, context) {
            let kind = type == Bool.self ? "true or false" : type == Int.self ? "an integer" : type == Double.self ? "a number" : "a \(type)"
            throw fail("'\(context.codingPath.map(\.stringValue).joined(separator: "."))' must be \(kind)")
        } catch let DecodingError.dataCorrupted(context) {
            throw fail("'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)")
        } catch {
            throw fail("\(error)")
        }
        var settings = SearchSettings()
        settings.beamCount = partial.beamCount ?? settings.beamCount
        settings.bodyLength = partial.bodyLength ?? settings.bodyLength
        settings.titleLength = partial.titleLength ?? settings.titleLength
        settings.decodeBody = partial.decodeBody ?? settings.decodeBody
        settings.decodeTitles = partial.decodeTitles ?? settings.decodeTitles
        settings.queryKeys = partial.queryKeys ?? settings.queryKeys
        settings.queryKeyLength = partial.queryKeyLength ?? settings.queryKeyLength
        settings.bodyPrefixes = partial.bodyPrefixes ?? settings.bodyPrefixes
        if let scoring = partial.scoring {
            settings.scoring.aggregation = scoring.aggregation ?? settings.scoring.aggregation
            settings.scoring.alpha = scoring.alpha ?? settings.scoring.alpha
            settings.scoring.beta = scoring.beta ?? settings.scoring.beta
            settings.scoring.smoothing = scoring.smoothing ?? settings.scoring.smoothing
            settings.scoring.maximumOccurrences = scoring.maximumOccurrences ?? settings.scoring.maximumOccurrences
            settings.scoring.documentsToScore = scoring.documentsToScore ?? settings.scoring.documentsToScore
            settings.scoring.unigramScores = scoring.unigramScores ?? settings.scoring.unigramScores
            settings.scoring.addBestUnigrams = scoring.addBestUnigrams ?? settings.scoring.addBestUnigrams
            settings.scoring.topUnigrams = scoring.topUnigrams ?? settings.scoring.topUnigrams
        }
        do { try settings.validate() } catch { throw fail("\(error)") }
        return settings
    }

    /// Writes the settings (every field) to `url` atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw RetrievalError.fileAccess(path: url.path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}

/// ``SearchSettings`` with every field optional (the file may give any subset).
private struct PartialSettings: Decodable {
    var beamCount, bodyLength, titleLength, queryKeyLength: Int?
    var decodeBody, decodeTitles, queryKeys, bodyPrefixes: Bool?
    var scoring: PartialScoring?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case beamCount, bodyLength, titleLength, queryKeyLength, decodeBody, decodeTitles, queryKeys, bodyPrefixes, scoring
    }
}

/// ``ScoringSettings`` with every field optional.
private struct PartialScoring: Decodable {
    var aggregation: Aggregation?
    var alpha, beta, smoothing: Double?
    var maximumOccurrences, documentsToScore, topUnigrams: Int?
    var unigramScores, addBestUnigrams: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case aggregation, alpha, beta, smoothing, maximumOccurrences, documentsToScore, topUnigrams, unigramScores, addBestUnigrams
    }
}
