import Foundation
import Testing
import Tensors

/// Rotary embedding frequencies under the two context-extension schemes.
struct RotaryEmbeddingTests {
    @Test func frequenciesFollowTheirFormulas() {
        let plain = RotaryEmbedding(headSize: 16, theta: 10_000)
        for (i, f) in plain.inverseFrequencies.enumerated() {
            let exact = pow(10_000, -Double(2 * i) / 16)
            #expect(abs(Double(f) - exact) <= 1e-6 * exact)
        }
        // Position interpolation divides every frequency by the factor.
        let interpolated = RotaryEmbedding(headSize: 16, theta: 10_000, positionScale: 4)
        for (a, b) in zip(interpolated.inverseFrequencies, plain.inverseFrequencies) { #expect(abs(a * 4 - b) < 1e-7) }
        // NTK-aware: the highest frequency is kept, the lowest is divided by the factor.
        let ntk = RotaryEmbedding(headSize: 16, theta: 10_000, ntkFactor: 4)
        #expect(ntk.inverseFrequencies[0] == plain.inverseFrequencies[0])
        let last = plain.inverseFrequencies.count - 1
        let ratio = Double(plain.inverseFrequencies[last] / ntk.inverseFrequencies[last])
        #expect(abs(ratio - pow(4, 14.0 / 14.0)) < 1e-3)
    }

    @Test func rotationIsOrthogonalAndInvertible() {
        let rope = RotaryEmbedding(headSize: 8)
        var x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, -1, 0, 2, 1, 0, 3, 1, -2]
        let original = x
        let norm = { (v: [Float]) in v.map { $0 * $0 }.reduce(0, +) }
        x.withUnsafeMutableBufferPointer { rope.rotate($0.baseAddress!, heads: 2, headStride: 8, position: 37, direction: 1) }
        #expect(abs(norm(x) - norm(original)) < 1e-3)
        #expect(x != original)
        x.withUnsafeMutableBufferPointer { rope.rotate($0.baseAddress!, heads: 2, headStride: 8, position: 37, direction: -1) }
        for (a, b) in zip(x, original) { #expect(abs(a - b) < 1e-5) }
    }
}
