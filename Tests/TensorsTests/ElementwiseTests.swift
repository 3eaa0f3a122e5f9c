import Foundation
import Testing
import Tensors
import TestSupport

/// Broadcasting arithmetic and elementwise functions against element-by-element references.
struct ElementwiseTests {
    static let shapePairs: [([Int], [Int])] = [
        ([5], [5]), ([3, 4], [3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]), ([2, 1, 4], [1, 3, 1]),
        ([4], [2, 3, 4]), ([1], [3, 5]), ([], [2, 2]), ([1000], [1000]), ([6, 50, 40], [50, 40]),
    ]

    @Test(arguments: shapePairs)
    func broadcastingArithmeticMatchesNaive(lhs: [Int], rhs: [Int]) throws {
        let a = randomTensor(lhs, seed: 1), b = randomTensor(rhs, seed: 2, lower: 0.5, upper: 2)
        expectClose(try (a + b).scalars, Naive.binary(a, b, +), "add")
        expectClose(try (a - b).scalars, Naive.binary(a, b, -), "subtract")
        expectClose(try (a * b).scalars, Naive.binary(a, b, *), "multiply")
        expectClose(try (a / b).scalars, Naive.binary(a, b, /), rtol: 1e-6, "divide")
        expectClose(try Tensor.maximum(a, b).scalars, Naive.binary(a, b, { max($0, $1) }), "maximum")
    }

    @Test func stridedOperandsBroadcastCorrectly() throws {
        let a = try randomTensor([4, 6], seed: 3).transposed(0, 1)  // [6, 4], not contiguous
        let b = randomTensor([4], seed: 4)
        expectClose(try (a + b).scalars, Naive.binary(a.contiguous(), b, +))
        expectClose(try (b * a).scalars, Naive.binary(b, a.contiguous(), *))
    }

    @Test func incompatibleShapesThrowNamingBoth() {
        let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4])
        #expect(throws: TensorError.shapeMismatch(operation: "add", lhs: [2, 3], rhs: [4])) { try a + b }
    }

    nonisolated(unsafe) static let unaryCases: [(String, (Tensor) -> Tensor, (Float) -> Float, Float, Float)] = [
        ("exp", { $0.exp() }, { Float(Foundation.exp(Double($0))) }, -20, 20),
        ("log", { $0.log() }, { Float(Foundation.log(Double($0))) }, 0.01, 50),
        ("tanh", { $0.tanh() }, { Float(Foundation.tanh(Double($0))) }, -5, 5),
        ("sigmoid", { $0.sigmoid() }, { Float(1 / (1 + Foundation.exp(-Double($0)))) }, -30, 30),
        ("relu", { $0.relu() }, { max($0, 0) }, -3, 3),
        ("sqrt", { $0.squareRoot() }, { Float(Double($0).squareRoot()) }, 0, 100),
        ("gelu", { $0.gelu() }, Naive.gelu, -8, 8),
        ("silu", { $0.silu() }, Naive.silu, -20, 20),
    ]

    @Test(arguments: unaryCases.indices, [[7], [3, 129], [4096]])
    func unaryFunctionsMatchScalarReference(index: Int, shape: [Int]) {
        let (name, kernel, reference, lower, upper) = Self.unaryCases[index]
        let x = randomTensor(shape, seed: 5, lower: lower, upper: upper)
        expectClose(kernel(x).scalars, x.scalars.map(reference), rtol: 2e-6, atol: 1e-6, name)
    }

    @Test func expHandlesExtremes() {
        let x = Tensor(shape: [8], values: [-.infinity, -1000, -87.5, 0, 88, 89, 1000, .infinity])
        let y = x.exp().scalars
        #expect(y[0] == 0 && y[1] == 0 && y[2] == 0)
        #expect(y[3] == 1)
        #expect(y[4].isFinite && abs(y[4] - Float(Foundation.exp(88.0))) / y[4] < 1e-6)
        #expect(y[5] == .infinity && y[6] == .infinity && y[7] == .infinity)
        #expect(Tensor(shape: [1], values: [.nan]).exp().scalars[0].isNaN)
    }

    @Test func scalarOperations() {
        let x = randomTensor([3, 5], seed: 6)
        expectClose((x * 3 + 1).scalars, x.scalars.map { $0 * 3 + 1 })
        expectClose((-x / 2 - 4).scalars, x.scalars.map { -$0 / 2 - 4 })
    }

    @Test func inPlaceUpdates() throws {
        let x = randomTensor([100], seed: 7).copy(), y = randomTensor([100], seed: 8)
        let expected = zip(x.scalars, y.scalars).map { $0 + 0.5 * $1 }
        try x.addInPlace(y, scale: 0.5)
        expectClose(x.scalars, expected)
        x.scaleInPlace(2)
        expectClose(x.scalars, expected.map { $0 * 2 })
        #expect(throws: TensorError.self) { try x.addInPlace(Tensor.zeros([99])) }
    }
}
