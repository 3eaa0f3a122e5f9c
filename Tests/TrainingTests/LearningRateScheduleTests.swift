import Foundation
import Testing
import Training

/// Exact values at the steps where the schedule's shape changes.
struct LearningRateScheduleTests {
    static let cosine = LearningRateSchedule(kind: .cosine, peakLearningRate: 1, minimumLearningRate: 0.25,
                                             warmupSteps: 4, decaySteps: 12)

    /// (step, expected rate): warm-up, its end, a quarter, half and almost all of the
    /// decay, its end, and far past it.
    static let keySteps: [(Int, Float)] = [
        (0, 0.25), (1, 0.5), (3, 1), (4, 1),
        (6, Float(0.25 + 0.375 * (1 + cos(Double.pi * 0.25)))),
        (8, 0.625),
        (11, Float(0.25 + 0.375 * (1 + cos(Double.pi * 0.875)))),
        (12, 0.25), (1000, 0.25),
    ]

    @Test(arguments: keySteps)
    func cosineWarmupAndDecay(step: Int, expected: Float) {
        #expect(Self.cosine.learningRate(atStep: step) == expected)
    }

    @Test func linearDecay() {
        var schedule = Self.cosine
        schedule.kind = .linear
        #expect(schedule.learningRate(atStep: 1) == 0.5)
        #expect(schedule.learningRate(atStep: 4) == 1)
        #expect(schedule.learningRate(atStep: 8) == 0.625)
        #expect(schedule.learningRate(atStep: 10) == 0.4375)
        #expect(schedule.learningRate(atStep: 12) == 0.25)
    }

    @Test func constantAfterWarmup() {
        var schedule = Self.cosine
        schedule.kind = .constant
        #expect(schedule.learningRate(atStep: 0) == 0.25)
        #expect((4..<50).allSatisfy { schedule.learningRate(atStep: $0) == 1 })
        #expect(LearningRateSchedule.constant(3e-4).learningRate(atStep: 0) == 3e-4)
        #expect(LearningRateSchedule.constant(3e-4).learningRate(atStep: 10_000) == 3e-4)
    }

    @Test func codableWithDefaults() throws {
        let decoded = try JSONDecoder().decode(LearningRateSchedule.self, from: Data(#"{"kind": "linear", "warmupSteps": 10}"#.utf8))
        #expect(decoded == LearningRateSchedule(kind: .linear, warmupSteps: 10))
        let roundTrip = try JSONDecoder().decode(LearningRateSchedule.self, from: JSONEncoder().encode(Self.cosine))
        #expect(roundTrip == Self.cosine)
    }

    @Test func invalidScheduleNamesTheField() {
        let schedule = LearningRateSchedule(kind: .cosine, peakLearningRate: 1e-3, minimumLearningRate: 1e-2)
        #expect(throws: TrainingError.self) { try schedule.validate() }
        do {
            try schedule.validate()
        } catch {
            #expect("\(error)".contains("minimumLearningRate"))
        }
    }
}
