import Testing
import Tensors
import TestSupport

/// The worker pool under concurrent callers: every caller gets exactly the result it would
/// get alone, whether its job ran on the pool or on its own thread.
struct ParallelismTests {
    @Test func concurrentCallersGetCorrectResults() async throws {
        let inputs = (0..<8).map { randomTensor([64, 1024], seed: UInt64($0)) }
        let expected = try inputs.map { ($0.softmax().scalars, try $0.matmul($0.transposed(0, 1)).scalars) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<4 {
                for (index, input) in inputs.enumerated() {
                    group.addTask {
                        // Many small jobs back to back, from up to 32 tasks at once.
                        for _ in 0..<(round + 1) {
                            guard input.softmax().scalars == expected[index].0 else { return false }
                            let product = try input.matmul(input.transposed(0, 1)).scalars
                            guard zip(product, expected[index].1).allSatisfy({ abs($0 - $1) <= 1e-4 * max(1, abs($1)) }) else { return false }
                        }
                        return true
                    }
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }

    @Test func manySmallJobsInSequence() {
        // Back-to-back jobs exercise the spin/sleep hand-off between pool generations.
        let x = randomTensor([40, 1000], seed: 9)
        let reference = x.gelu().scalars
        for _ in 0..<200 { #expect(x.gelu().scalars == reference) }
    }
}
