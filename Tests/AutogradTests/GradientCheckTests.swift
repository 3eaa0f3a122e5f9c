import Autograd
import Testing
import Tensors
import TestSupport

/// A finite-difference check for every differentiable operation, over several shapes
/// including broadcasting cases.
///
/// Tolerances: central differences with step 1e-2 in float32; an element passes when
/// |analytic - numeric| <= 2e-3 + 2e-2 |numeric| (GradientCheck's defaults). Smooth
/// functions agree to about 1e-4 here; a wrong backward misses by O(1).
struct GradientCheckTests {
    /// A named computation over freshly drawn inputs of the given shapes.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let shapes: [[Int]]
        var range: (Float, Float) = (-1, 1)
        let function: @Sendable ([Variable]) throws -> Variable
        var testDescription: String { "\(name) \(shapes)" }
    }

    static func check(_ testCase: Case, seed: UInt64 = 1) throws {
        let inputs = testCase.shapes.enumerated().map { index, shape in
            Variable(randomTensor(shape, seed: seed + UInt64(index) * 101, lower: testCase.range.0, upper: testCase.range.1),
                     requiresGradient: true, name: "input\(index)")
        }
        let report = try GradientCheck.run(inputs: inputs, testCase.function)
        #expect(report.passed, "\(testCase.testDescription): \(report)")
        #expect(report.checkedElements == testCase.shapes.reduce(0) { $0 + $1.reduce(1, *) })
    }

    static let arithmetic: [Case] = [[3], [2, 3], [4, 1, 3]].flatMap { lhs -> [Case] in
        let rhsShapes: [[Int]] = [lhs, [1], Array(lhs.suffix(1)), [1] + lhs]
        return rhsShapes.flatMap { rhs -> [Case] in [
            Case(name: "add", shapes: [lhs, rhs]) { try $0[0] + $0[1] },
            Case(name: "subtract", shapes: [lhs, rhs]) { try $0[0] - $0[1] },
            Case(name: "multiply", shapes: [lhs, rhs]) { try $0[0] * $0[1] },
            Case(name: "divide", shapes: [lhs, rhs], range: (0.5, 2)) { try $0[0] / $0[1] },
        ] }
    } + [
        Case(name: "scalar affine", shapes: [[2, 5]]) { ($0[0] * 3 + 2) / 4 - 1 },
        Case(name: "negate", shapes: [[6]]) { -$0[0] },
    ]

    @Test(arguments: arithmetic)
    func arithmeticGradients(testCase: Case) throws { try Self.check(testCase) }

    static let products: [Case] = [
        Case(name: "matmul", shapes: [[3, 4], [4, 5]]) { try $0[0].matmul($0[1]) },
        Case(name: "matmul row", shapes: [[1, 4], [4, 3]]) { try $0[0].matmul($0[1]) },
        Case(name: "matmul batched", shapes: [[2, 3, 4], [2, 4, 2]]) { try $0[0].matmul($0[1]) },
        Case(name: "matmul batch x matrix", shapes: [[2, 3, 4], [4, 2]]) { try $0[0].matmul($0[1]) },
        Case(name: "matmul broadcast batch", shapes: [[2, 1, 3, 4], [3, 4, 2]]) { try $0[0].matmul($0[1]) },
        Case(name: "matmul transposed", shapes: [[4, 3], [5, 4]]) { try $0[0].transposed(0, 1).matmul($0[1].transposed(0, 1)) },
    ]

    @Test(arguments: products)
    func matmulGradients(testCase: Case) throws { try Self.check(testCase) }

    static let shapeOperations: [Case] = [
        Case(name: "reshape", shapes: [[2, 6]]) { try $0[0].reshaped([3, 4]) * $0[0].reshaped([3, 4]) },
        Case(name: "transpose", shapes: [[2, 3, 4]]) { try $0[0].transposed(0, 2) },
        Case(name: "permute", shapes: [[2, 3, 4]]) { try $0[0].permuted([1, 2, 0]) },
        Case(name: "slice", shapes: [[4, 5]]) { try $0[0].sliced(axis: 1, range: 1..<4) },
        Case(name: "concatenate", shapes: [[2, 3], [2, 2]]) { try Variable.concatenate([$0[0], $0[1]], axis: 1) },
        Case(name: "broadcast", shapes: [[3, 1]]) { try $0[0].broadcast(to: [2, 3, 4]) },
    ]

    @Test(arguments: shapeOperations)
    func shapeGradients(testCase: Case) throws { try Self.check(testCase) }

    static let reductions: [Case] = [
        Case(name: "sum", shapes: [[3, 4]]) { $0[0].sum() },
        Case(name: "mean", shapes: [[3, 4]]) { $0[0].mean() },
        Case(name: "sum axis 0", shapes: [[3, 4, 2]]) { try $0[0].sum(axis: 0) },
        Case(name: "sum axis -1 kept", shapes: [[3, 4]]) { try $0[0].sum(axis: -1, keepingDimension: true) },
        Case(name: "mean axis 1", shapes: [[3, 4, 2]]) { try $0[0].mean(axis: 1) },
        Case(name: "max axis 1", shapes: [[3, 5]]) { try $0[0].max(axis: 1) },
        Case(name: "max axis 0", shapes: [[4, 2, 3]]) { try $0[0].max(axis: 0) },
    ]

    @Test(arguments: reductions)
    func reductionGradients(testCase: Case) throws { try Self.check(testCase) }

    static let elementwise: [Case] = [[7], [3, 9]].flatMap { shape -> [Case] in [
        Case(name: "exp", shapes: [shape]) { $0[0].exp() },
        Case(name: "log", shapes: [shape], range: (0.5, 3)) { $0[0].log() },
        Case(name: "tanh", shapes: [shape], range: (-2, 2)) { $0[0].tanh() },
        Case(name: "sigmoid", shapes: [shape], range: (-4, 4)) { $0[0].sigmoid() },
        Case(name: "relu", shapes: [shape], range: (0.1, 2)) { try ($0[0] - 1).relu() * $0[0] },
        Case(name: "sqrt", shapes: [shape], range: (0.5, 4)) { $0[0].squareRoot() },
        Case(name: "gelu", shapes: [shape], range: (-3, 3)) { $0[0].gelu() },
        Case(name: "silu", shapes: [shape], range: (-4, 4)) { $0[0].silu() },
        Case(name: "softmax", shapes: [shape], range: (-3, 3)) { $0[0].softmax() },
        Case(name: "log-softmax", shapes: [shape], range: (-3, 3)) { $0[0].logSoftmax() },
    ] }

    @Test(arguments: elementwise)
    func elementwiseGradients(testCase: Case) throws { try Self.check(testCase) }

    static let layers: [Case] = [
        Case(name: "layer norm", shapes: [[3, 6], [6], [6]]) { try $0[0].layerNorm(weight: $0[1], bias: $0[2]) },
        Case(name: "layer norm no bias", shapes: [[2, 2, 5], [5]]) { try $0[0].layerNorm(weight: $0[1], bias: nil) },
        Case(name: "RMS norm", shapes: [[3, 6], [6]]) { try $0[0].rmsNorm(weight: $0[1]) },
        Case(name: "gather rows", shapes: [[5, 3]]) { try $0[0].gatherRows([4, 0, 4, 2]) },
        Case(name: "conv2d", shapes: [[2, 2, 5, 5], [3, 2, 3, 3], [3]]) {
            try $0[0].convolution2D(weight: $0[1], bias: $0[2], geometry: .init(stride: 1, padding: 1))
        },
        Case(name: "conv2d strided", shapes: [[1, 2, 6, 6], [2, 2, 4, 4]]) {
            try $0[0].convolution2D(weight: $0[1], bias: nil, geometry: .init(stride: 2, padding: 1))
        },
        Case(name: "conv-transpose2d", shapes: [[2, 3, 3, 3], [3, 2, 4, 4], [2]]) {
            try $0[0].transposedConvolution2D(weight: $0[1], bias: $0[2], geometry: .init(stride: 2, padding: 1))
        },
        Case(name: "linear", shapes: [[2, 3, 4], [5, 4], [5]]) { try $0[0].linear(weight: $0[1], bias: $0[2]) },
        Case(name: "linear no bias", shapes: [[3, 4], [2, 4]]) { try $0[0].linear(weight: $0[1], bias: nil) },
        Case(name: "attention", shapes: [[2, 5, (4 + 2 * 4) * 3]]) {
            try $0[0].fusedSelfAttention(heads: 4, keyValueHeads: 4, headSize: 3)
        },
        Case(name: "attention grouped-query", shapes: [[2, 5, (4 + 2 * 2) * 3]]) {
            try $0[0].fusedSelfAttention(heads: 4, keyValueHeads: 2, headSize: 3)
        },
        Case(name: "attention block mask", shapes: [[1, 5, (2 + 2 * 1) * 4]]) { x in
            // Two packed prompts of 3 and 2 tokens: block-diagonal causal.
            var mask = [Float](repeating: -.infinity, count: 25)
            for t in 0..<5 { for s in 0...t where (t < 3) == (s < 3) { mask[t * 5 + s] = 0 } }
            return try x[0].fusedSelfAttention(heads: 2, keyValueHeads: 1, headSize: 4, mask: .additive(Tensor(shape: [1, 5, 5], values: mask)))
        },
        Case(name: "rotary embedding", shapes: [[2, 3, (2 + 2 * 1) * 4]]) {
            try $0[0].rotaryEmbedding(RotaryEmbedding(headSize: 4), heads: 2, keyValueHeads: 1, positions: [[0, 1, 2], [5, 0, 9]])
        },
        Case(name: "dropout", shapes: [[4, 5]]) { x in
            var generator = SeededGenerator(seed: 3)  // the same mask at every evaluation
            return try x[0].dropout(probability: 0.4, training: true, using: &generator)
        },
    ]

    @Test(arguments: layers)
    func layerGradients(testCase: Case) throws { try Self.check(testCase) }

    static let losses: [Case] = [
        Case(name: "cross-entropy", shapes: [[4, 6]], range: (-3, 3)) { try $0[0].crossEntropy(targets: [1, 5, 0, 3]) },
        Case(name: "cross-entropy ignore", shapes: [[4, 6]], range: (-3, 3)) { try $0[0].crossEntropy(targets: [1, -100, 0, 3]) },
        Case(name: "cross-entropy smoothing", shapes: [[3, 5]], range: (-3, 3)) { try $0[0].crossEntropy(targets: [1, 4, 0], labelSmoothing: 0.1) },
        Case(name: "cross-entropy weights", shapes: [[3, 5]], range: (-3, 3)) { try $0[0].crossEntropy(targets: [1, 4, 0], weights: [7, 1, 1]) },
        Case(name: "mean squared error", shapes: [[3, 4]]) { try $0[0].meanSquaredError(randomTensor([3, 4], seed: 9)) },
        Case(name: "binary cross-entropy", shapes: [[3, 4]], range: (-4, 4)) {
            try $0[0].binaryCrossEntropy(logitsAgainst: Tensor(shape: [3, 4], values: [0, 1, 0.5, 0.2, 1, 0, 0.9, 0, 0.3, 1, 0, 0.7]))
        },
    ]

    @Test(arguments: losses)
    func lossGradients(testCase: Case) throws { try Self.check(testCase) }

    @Test func composedGraphMatchesFiniteDifferences() throws {
        // A tiny attention-like block exercises accumulation across many ops.
        let testCase = Case(name: "attention block", shapes: [[4, 6], [6, 6], [6, 6], [6]]) { v in
            let q = try v[0].matmul(v[1]), k = try v[0].matmul(v[2])
            let scores = try q.matmul(k.transposed(0, 1)) * 0.4
            let mixed = try scores.softmax().matmul(v[0])
            return try (mixed + v[0]).layerNorm(weight: v[3], bias: nil).gelu()
        }
        try Self.check(testCase)
    }

    @Test func checkDetectsAWrongGradient() throws {
        // The checker itself must fail on a broken backward: mislabel sigmoid as tanh.
        let x = Variable(randomTensor([5], seed: 4), requiresGradient: true)
        let report = try GradientCheck.run(inputs: [x]) { v in
            let wrong = v[0].tanh()
            // Replace the value so forward computes sigmoid while backward is tanh's.
            wrong.value = v[0].value.sigmoid()
            return wrong
        }
        #expect(!report.passed)
    }
}
