import Foundation
import Testing
import Training

/// Defaults, partial decoding and validation of the run configuration.
struct TrainingConfigurationTests {
    @Test func emptyJSONGivesTheDocumentedDefaults() throws {
        let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data("{}".utf8))
        #expect(configuration == TrainingConfiguration())
        #expect(configuration.steps == 1000)
        #expect(configuration.learningRate == 6e-4)
        #expect(configuration.schedule == .cosine)
        #expect(configuration.warmupSteps == 100)
        #expect(configuration.weightDecay == 0.1)
        #expect(configuration.clipNorm == 1)
        #expect(configuration.accumulationSteps == 1)
        #expect(configuration.seed == 1337)
        #expect(configuration.learningRateSchedule.decaySteps == 1000)
        try configuration.validate()
    }

    @Test func partialJSONOverridesOnlyItsFields() throws {
        let json = #"{"steps": 50, "schedule": "constant", "decaySteps": 40, "outputDirectory": "runs/x"}"#
        let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(json.utf8))
        #expect(configuration.steps == 50)
        #expect(configuration.schedule == .constant)
        #expect(configuration.learningRateSchedule.decaySteps == 40)
        #expect(configuration.outputDirectory == "runs/x")
        #expect(configuration.beta2 == 0.95)
        let roundTrip = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(roundTrip == configuration)
    }

    /// Breaks `field` in a default configuration.
    static func broken(_ field: String) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        switch field {
        case "accumulationSteps": c.accumulationSteps = 0
        case "beta2": c.beta2 = 1
        case "clipNorm": c.clipNorm = -1
        case "learningRate": c.learningRate = .nan
        case "warmupSteps": c.warmupSteps = -1
        default: c.outputDirectory = ""
        }
        return c
    }

    @Test(arguments: ["accumulationSteps", "beta2", "clipNorm", "learningRate", "warmupSteps", "outputDirectory"])
    func invalidFieldsAreNamed(field: String) {
        let configuration = Self.broken(field)
        #expect {
            try configuration.validate()
        } throws: { error in
            guard case let .invalidConfiguration(name, _) = error as? TrainingError else { return false }
            return name == field
        }
    }
}
