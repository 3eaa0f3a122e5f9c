import Foundation
import Testing
import Tensors
import TestSupport

/// Row kernels (softmax, normalisation), embedding, convolution, dropout and initialisation
/// against naive references.
struct KernelTests {
    static let rowShapes: [[Int]] = [[1, 1], [3, 5], [4, 8], [2, 3, 17], [64, 256], [5, 1000]]

    @Test(arguments: rowShapes)
    func softmaxAndLogSoftmaxMatchNaive(shape: [Int]) {
        let x = randomTensor(shape, seed: 1, lower: -10, upper: 10)
        let width = shape.last!
        expectClose(x.softmax().scalars, Naive.softmaxRows(x.scalars, width: width, logarithm: false), rtol: 1e-5, atol: 1e-7)
        expectClose(x.logSoftmax().scalars, Naive.softmaxRows(x.scalars, width: width, logarithm: true), rtol: 1e-5, atol: 2e-5)
    }

    @Test func softmaxOfExtremeAndMaskedRows() {
        let x = Tensor(shape: [3, 4], values: [1e4, -1e4, 0, 1e4, -.infinity, 0, -.infinity, 1, -.infinity, -.infinity, -.infinity, -.infinity])
        let y = x.softmax().scalars
        #expect(y.allSatisfy { $0.isFinite })
        expectClose(Array(y[0..<4]), [0.5, 0, 0, 0.5])
        #expect(y[4] == 0 && y[6] == 0)  // masked entries are exactly zero
        let l = x.logSoftmax().scalars
        #expect(l[0].isFinite && abs(l[0] + Float(Foundation.log(2.0))) < 1e-6)
    }

    @Test(arguments: rowShapes)
    func layerNormAndRMSNormMatchNaive(shape: [Int]) throws {
        let x = randomTensor(shape, seed: 2, lower: -3, upper: 5)
        let width = shape.last!
        let w = randomTensor([width], seed: 3, lower: 0.5, upper: 1.5), b = randomTensor([width], seed: 4)
        let ln = try x.layerNorm(weight: w, bias: b, epsilon: 1e-5)
        expectClose(ln.output.scalars, Naive.layerNormRows(x.scalars, weight: w.scalars, bias: b.scalars, epsilon: 1e-5, centered: true), rtol: 1e-4, atol: 1e-4)
        let rms = try x.rmsNorm(weight: w, epsilon: 1e-5)
        expectClose(rms.output.scalars, Naive.layerNormRows(x.scalars, weight: w.scalars, bias: nil, epsilon: 1e-5, centered: false), rtol: 1e-4, atol: 1e-4)
        #expect(throws: TensorError.self) { try x.layerNorm(weight: Tensor.ones([width + 1]), bias: nil, epsilon: 1e-5) }
    }

    @Test func gatherAndScatterAddAreAdjoint() throws {
        let table = randomTensor([10, 4], seed: 5)
        let ids = [3, 0, 3, 9]
        let rows = try table.gatherRows(ids)
        for (r, id) in ids.enumerated() { for c in 0..<4 { #expect(rows[r, c] == table[id, c]) } }
        let g = randomTensor([4, 4], seed: 6)
        let scattered = try Tensor.scatterAddRows(g, indices: ids, rowCount: 10)
        for c in 0..<4 {
            #expect(abs(scattered[3, c] - (g[0, c] + g[2, c])) < 1e-6)
            #expect(scattered[0, c] == g[1, c] && scattered[9, c] == g[3, c] && scattered[5, c] == 0)
        }
        #expect(throws: TensorError.invalidArgument(operation: "gather rows", detail: "index 10 is outside 0..<10")) { try table.gatherRows([10]) }
    }

    static let convolutionCases: [(input: [Int], outChannels: Int, kernel: Int, stride: Int, padding: Int)] = [
        ([1, 1, 5, 5], 1, 3, 1, 0), ([2, 3, 7, 6], 4, 3, 1, 1), ([2, 2, 8, 8], 3, 4, 2, 1), ([1, 3, 7, 7], 2, 1, 1, 0), ([1, 2, 9, 9], 2, 3, 3, 2),
    ]

    @Test(arguments: convolutionCases.indices)
    func convolutionMatchesDirectLoops(index: Int) throws {
        let c = Self.convolutionCases[index]
        let x = randomTensor(c.input, seed: 7)
        let w = randomTensor([c.outChannels, c.input[1], c.kernel, c.kernel], seed: 8)
        let b = randomTensor([c.outChannels], seed: 9)
        let geometry = Convolution2DGeometry(stride: c.stride, padding: c.padding)
        expectClose(try x.convolution2D(weight: w, bias: b, geometry: geometry),
                    Naive.convolution(x, w, b.scalars, stride: c.stride, padding: c.padding), rtol: 1e-4, atol: 1e-5)
        let wt = randomTensor([c.input[1], c.outChannels, c.kernel, c.kernel], seed: 10)
        expectClose(try x.transposedConvolution2D(weight: wt, bias: b, geometry: geometry),
                    Naive.transposedConvolution(x, wt, b.scalars, stride: c.stride, padding: c.padding), rtol: 1e-4, atol: 1e-5)
    }

    @Test func convolutionRejectsBadShapes() {
        let x = Tensor.zeros([1, 3, 4, 4])
        #expect(throws: TensorError.shapeMismatch(operation: "conv2d", lhs: [1, 3, 4, 4], rhs: [2, 2, 3, 3])) {
            try x.convolution2D(weight: Tensor.zeros([2, 2, 3, 3]), bias: nil)
        }
        #expect(throws: TensorError.self) { try x.convolution2D(weight: Tensor.zeros([2, 3, 5, 5]), bias: nil) }
    }

    @Test func dropoutMaskKeepsExpectationAndIsSeeded() throws {
        var g1 = SeededGenerator(seed: 11), g2 = SeededGenerator(seed: 11)
        let mask = try Tensor.dropoutMask([100_000], probability: 0.3, using: &g1)
        #expect(mask.scalars == (try Tensor.dropoutMask([100_000], probability: 0.3, using: &g2)).scalars)
        let values = mask.scalars
        let dropped = Double(values.filter { $0 == 0 }.count) / Double(values.count)
        // Binomial standard deviation sqrt(.3 * .7 / 1e5) = 0.00145; allow 5 sigma.
        #expect(abs(dropped - 0.3) < 0.0073)
        #expect(values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
        #expect(throws: TensorError.self) { try Tensor.dropoutMask([3], probability: 1, using: &g1) }
    }

    @Test func initialisersHaveTheirMomentsAndAreSeeded() {
        var generator = SeededGenerator(seed: 12)
        let n = 200_000
        func moments(_ t: Tensor) -> (Double, Double) {
            let v = t.scalars.map(Double.init)
            let mean = v.reduce(0, +) / Double(v.count)
            return (mean, (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)).squareRoot())
        }
        // Tolerances: 5 standard errors of the mean (sd / sqrt(n)) and of the sd (sd / sqrt(2n)).
        let normal = moments(Tensor.normal([n], mean: 1, standardDeviation: 2, using: &generator))
        #expect(abs(normal.0 - 1) < 5 * 2 / Double(n).squareRoot() && abs(normal.1 - 2) < 5 * 2 / Double(2 * n).squareRoot())
        let uniform = moments(Tensor.uniform([n], lower: -1, upper: 3, using: &generator))
        #expect(abs(uniform.0 - 1) < 0.02 && abs(uniform.1 - 4 / 12.0.squareRoot()) < 0.01)
        let xavier = Tensor.xavierUniform([n], fanIn: 100, fanOut: 200, using: &generator)
        #expect(xavier.scalars.allSatisfy { abs($0) <= (6.0 / 300).squareRoot() })
        let kaiming = moments(Tensor.kaimingNormal([n], fanIn: 50, using: &generator))
        #expect(abs(kaiming.1 - (2.0 / 50).squareRoot()) < 0.005)
        var a = SeededGenerator(seed: 99), b = SeededGenerator(seed: 99)
        #expect(Tensor.normal([10], using: &a).scalars == Tensor.normal([10], using: &b).scalars)
    }

    @Test func parallelKernelsAgreeWithSingleThread() throws {
        // Large enough to split across threads; results must not depend on the split.
        let x = randomTensor([300, 512], seed: 13), w = randomTensor([512], seed: 14)
        let parallel = (x.gelu().scalars, x.softmax().scalars, try x.layerNorm(weight: w, bias: nil, epsilon: 1e-5).output.scalars)
        // Single-threaded for this test only: changing the process-wide count would change
        // the arithmetic of trainings that other tests run at the same time.
        try Parallelism.withSingleThread { () throws -> Void in
            #expect(Parallelism.threadCount == 1)
            #expect(x.gelu().scalars == parallel.0)
            #expect(x.softmax().scalars == parallel.1)
            #expect(try x.layerNorm(weight: w, bias: nil, epsilon: 1e-5).output.scalars == parallel.2)
        }
    }
}
