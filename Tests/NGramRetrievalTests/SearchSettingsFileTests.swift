import Foundation
import Testing
@testable import NGramRetrieval
@testable import RetrieveCommands

/// `generator/search.json`: partial files over the defaults, a full round trip, and a one-line
/// error naming the file and the field for anything it cannot use.
@Suite struct SearchSettingsFileTests {
    func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func message(_ text: String) throws -> String {
        let url = try write(text)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try SearchSettings.load(from: url)
            return "no error"
        } catch {
            let line = "\(error)"
            #expect(line.hasPrefix(url.path + ":1: "), "names the file: \(line)")
            #expect(!line.contains("\n"))
            return line
        }
    }

    @Test func missingFileGivesTheDefaults() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString).json")
        #expect(try SearchSettings.load(from: url) == SearchSettings())
    }

    @Test func partialFileChangesOnlyItsFields() throws {
        let url = try write(#"{"decodeTitles": false, "scoring": {"alpha": 1, "aggregation": "sum"}}"#)
        defer { try? FileManager.default.removeItem(at: url) }
        var expected = SearchSettings()
        expected.decodeTitles = false
        expected.scoring.alpha = 1
        expected.scoring.aggregation = .sum
        #expect(try SearchSettings.load(from: url) == expected)
    }

    @Test func writtenSettingsLoadBackEqual() throws {
        var settings = SearchSettings()
        settings.beamCount = 7
        settings.queryKeyLength = 2
        settings.bodyPrefixes = true
        settings.stopwordQueryKeys = false
        settings.queryKeyLogProbability = -2.5
        settings.scoring.beta = 0.25
        settings.scoring.smoothing = 3.5
        settings.scoring.unigramScores = true
        settings.queryKeyForms = .stemmed
        settings.generatorWeight = 0.25
        settings.scoring.termSaturation = 0.5
        settings.scoring.lengthNormalization = 0.6
        settings.scoring.unconditional = .documents
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("round-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try settings.write(to: url)
        #expect(try SearchSettings.load(from: url) == settings)
    }

    @Test func badFilesNameTheField() throws {
        #expect(try message(#"{"beams": 5}"#).hasSuffix("unknown setting 'beams'"))
        #expect(try message(#"{"scoring": {"alfa": 1}}"#).hasSuffix("unknown setting 'scoring.alfa'"))
        #expect(try message(#"{"decodeBody": 1}"#).contains("'decodeBody' must be true or false"))
        #expect(try message(#"{"scoring": {"alpha": "one"}}"#).contains("'scoring.alpha' must be"))
        #expect(try message(#"{"scoring": {"aggregation": "max"}}"#).contains("scoring.aggregation"))
        #expect(try message(#"{"scoring": {"beta": 2}}"#).contains("beta"))
        #expect(try message(#"{"queryKeyForms": "lemmas"}"#).contains("queryKeyForms"))
        #expect(try message(#"{"generatorWeight": 0}"#).contains("generatorWeight"))
        #expect(try message(#"{"scoring": {"termSaturation": -1}}"#).contains("termSaturation"))
        #expect(try message(#"{"scoring": {"lengthNormalization": 1.5}}"#).contains("lengthNormalization"))
        #expect(try message(#"{"scoring": {"unconditional": "words"}}"#).contains("scoring.unconditional"))
        #expect(try message(#"{"decodeBody": false, "decodeTitles": false, "queryKeys": false}"#).contains("at least one key source"))
        #expect(try message("[1, 2]").contains("JSON object"))
        #expect(try message("{").contains("not readable JSON"))
    }
}

/// The command-line options start from the generator's settings and change only what is given.
@Suite struct SearchOptionsMergeTests {
    @Test func givenOptionsOverrideTheGeneratorsSettings() throws {
        var defaults = SearchSettings()
        defaults.decodeTitles = false
        defaults.scoring.alpha = 1
        defaults.beamCount = 6
        #expect(try SearchOptions.parse([]).settings(over: defaults) == defaults)
        let merged = try SearchOptions.parse(["--titles", "--alpha", "1.5", "--beams", "3"]).settings(over: defaults)
        var expected = defaults
        expected.decodeTitles = true
        expected.scoring.alpha = 1.5
        expected.beamCount = 3
        #expect(merged == expected)
        #expect(try SearchOptions.parse(["--no-body"]).settings(over: defaults).decodeBody == false)
        let bm25Like = try SearchOptions.parse(["--query-key-forms", "stemmed", "--generator-weight", "0.5", "--query-key-length", "1",
                                                "--term-saturation", "0.5", "--length-normalization", "0.6",
                                                "--unconditional", "documents"]).settings(over: defaults)
        #expect(bm25Like.queryKeyForms == .stemmed && bm25Like.generatorWeight == 0.5 && bm25Like.queryKeyLength == 1)
        #expect(bm25Like.scoring.termSaturation == 0.5 && bm25Like.scoring.lengthNormalization == 0.6)
        #expect(bm25Like.scoring.unconditional == .documents)
        for bad in [["--generator-weight", "0"], ["--term-saturation", "-1"], ["--length-normalization", "2"], ["--query-key-length", "9"],
                    ["--query-key-forms", "lemmas"], ["--unconditional", "words"]] {
            #expect(throws: (any Error).self) { try SearchOptions.parse(bad) }
        }
        defaults.queryKeys = false
        #expect(throws: (any Error).self) { try SearchOptions.parse(["--no-body"]).settings(over: defaults) }
    }
}
