import Tensors

/// Derives the random generator of each micro-batch from the run's seed and the step
/// number alone, so a resumed run draws exactly the numbers the uninterrupted run would
/// have drawn, and a checkpoint needs to store only the seed and the step.
///
/// `SeededGenerator` keeps its state private; rather than serialising a stream's position,
/// each (step, micro-batch) gets a fresh stream seeded by a SplitMix64 hash of the three
/// numbers (Steele, Lea & Flood 2014, the finaliser SplitMix64 and xoshiro seeding use), so
/// neighbouring steps get unrelated streams.
///
/// ```swift
/// let randomness = StepRandomness(seed: 1337)
/// var generator = randomness.generator(step: 41, microBatch: 0)
/// let batchStart = Int.random(in: 0..<1000, using: &generator)
/// ```
public struct StepRandomness: Codable, Sendable, Equatable {
    /// The run's seed.
    public var seed: UInt64

    /// Randomness fixed by `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// The generator for micro-batch `microBatch` of step `step` (both 0-based).
    public func generator(step: Int, microBatch: Int) -> SeededGenerator {
        SeededGenerator(seed: Self.hash(seed, UInt64(truncatingIfNeeded: step), UInt64(truncatingIfNeeded: microBatch)))
    }

    /// A 64-bit hash of three numbers: each is folded in and mixed by the SplitMix64 finaliser.
    static func hash(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        var state = mix(a &+ 0x9E37_79B9_7F4A_7C15)
        state = mix(state ^ (b &* 0xBF58_476D_1CE4_E5B9 &+ 0x94D0_49BB_1331_11EB))
        state = mix(state ^ (c &* 0x94D0_49BB_1331_11EB &+ 0x9E37_79B9_7F4A_7C15))
        return state
    }

    /// The SplitMix64 output function: a bijective avalanche of all 64 bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
