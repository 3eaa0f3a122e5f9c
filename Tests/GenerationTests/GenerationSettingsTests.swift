import Foundation
import Generation
import Testing

@Suite("Generation settings")
struct GenerationSettingsTests {
    /// A named change that makes default settings invalid, and the field it must blame.
    struct BadCase: CustomTestStringConvertible, Sendable {
        let field: String
        let change: @Sendable (inout GenerationSettings) -> Void
        var testDescription: String { field }
    }

    static let badCases: [BadCase] = [
        BadCase(field: "maxNewTokens") { $0.maxNewTokens = -1 },
        BadCase(field: "minNewTokens") { $0.minNewTokens = -2 },
        BadCase(field: "minNewTokens") { $0.maxNewTokens = 3; $0.minNewTokens = 4 },
        BadCase(field: "temperature") { $0.temperature = 0 },                 // sampling at t = 0
        BadCase(field: "temperature") { $0.temperature = -0.5 },
        BadCase(field: "temperature") { $0.mode = .greedy; $0.temperature = .nan },
        BadCase(field: "topK") { $0.topK = 0 },
        BadCase(field: "topK") { $0.topK = -5 },
        BadCase(field: "topP") { $0.topP = 0 },
        BadCase(field: "topP") { $0.topP = 1.2 },
        BadCase(field: "topP") { $0.topP = -0.3 },
        BadCase(field: "repetitionPenalty") { $0.repetitionPenalty = 0 },
        BadCase(field: "stopTokens") { $0.stopTokens = [3, -1] },
        BadCase(field: "stopTokens") { $0.stopTokens = [10] },                // vocabulary is 10
        BadCase(field: "bannedTokens") { $0.bannedTokens = [-7] },
        BadCase(field: "beamCount") { $0.beamCount = 0 },
        BadCase(field: "hypothesisCount") { $0.hypothesisCount = 0 },
        BadCase(field: "hypothesisCount") { $0.beamCount = 2; $0.hypothesisCount = 3 },
        BadCase(field: "lengthPenalty") { $0.lengthPenalty = .infinity },
    ]

    @Test("invalid settings throw naming the field", arguments: badCases)
    func invalidSettings(bad: BadCase) {
        var settings = GenerationSettings()
        bad.change(&settings)
        let error = catchError { try settings.validate(vocabularySize: 10) }
        #expect(field(of: error) == bad.field, "got \(String(describing: error))")
        // The generator validates too, before touching the model.
        let model = BigramModel(vocabularySize: 10, seed: 1)
        let generatorError = catchError { try TokenGenerator(model: model).generate(prompt: [1], settings: settings) }
        #expect(field(of: generatorError) == bad.field)
        #expect(model.batchSizes.isEmpty)
    }

    @Test("temperature 0 is fine once greedy is chosen")
    func greedyTemperatureZero() throws {
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.temperature = 0
        try settings.validate()
        #expect(try settings.makeSampler() is GreedySampler)
    }

    @Test("error messages name the field")
    func messages() {
        var settings = GenerationSettings()
        settings.topP = 1.5
        let message = (catchError { try settings.validate() } as? GenerationError)?.description ?? ""
        #expect(message.hasPrefix("topP:"), "\(message)")
    }

    @Test("JSON presets may omit fields; unknown keys are rejected; round trip")
    func codable() throws {
        let preset = #"{"mode": "beamSearch", "beamCount": 3, "lengthPenalty": 0.6, "stopTokens": [2]}"#
        let decoded = try JSONDecoder().decode(GenerationSettings.self, from: Data(preset.utf8))
        var expected = GenerationSettings()
        expected.mode = .beamSearch
        expected.beamCount = 3
        expected.lengthPenalty = 0.6
        expected.stopTokens = [2]
        #expect(decoded == expected)

        let typo = #"{"temprature": 0.5}"#
        let error = catchError { try JSONDecoder().decode(GenerationSettings.self, from: Data(typo.utf8)) }
        #expect(field(of: error) == "temprature")

        var full = GenerationSettings()
        full.topK = 40
        full.topP = 0.9
        full.seed = 123_456_789_012
        let data = try JSONEncoder().encode(full)
        #expect(try JSONDecoder().decode(GenerationSettings.self, from: data) == full)
    }

    @Test("settings become the documented processor chain")
    func pipeline() throws {
        var settings = GenerationSettings()
        settings.repetitionPenalty = 1.3
        settings.temperature = 0.7
        settings.topK = 5
        settings.topP = 0.9
        settings.bannedTokens = [1]
        settings.minNewTokens = 2
        settings.stopTokens = [0]
        let chain = try settings.makeProcessorChain(for: SequenceInfo(index: 0, prompt: [3]))
        let kinds = chain.processors.map { String(describing: type(of: $0)) }
        #expect(kinds == ["RepetitionPenaltyProcessor", "AllowedTokensProcessor", "MinimumLengthProcessor",
                          "TemperatureProcessor", "TopKProcessor", "TopPProcessor"])
        settings.mode = .greedy
        let greedyKinds = try settings.makeProcessorChain(for: SequenceInfo(index: 0, prompt: [3])).processors
            .map { String(describing: type(of: $0)) }
        #expect(greedyKinds == ["RepetitionPenaltyProcessor", "AllowedTokensProcessor", "MinimumLengthProcessor"])
        #expect(try GenerationSettings().makeProcessorChain(for: SequenceInfo(index: 0, prompt: [3])).processors.isEmpty)
    }
}
