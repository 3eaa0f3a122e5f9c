import Testing
import Tensors
import TestSupport

/// Int8 weight-only matrices: the product equals float arithmetic on the dequantised
/// weights, and quantisation error stays within half a step per weight.
struct Int8MatrixTests {
    @Test(arguments: [1, 3, 4, 7, 40], [5, 64])
    func productEqualsDequantizedFloatProduct(rows m: Int, outputs n: Int) throws {
        let w = randomTensor([n, 37], seed: 1)
        let q = try Int8Matrix(w)
        let x = randomTensor([m, 37], seed: 2)
        let expected = try x.matmul(q.dequantized().transposed(0, 1))
        expectClose(try q.multiply(x).scalars, expected.scalars, rtol: 1e-5, atol: 1e-5)
    }

    @Test func quantisationErrorIsWithinHalfAStep() throws {
        let w = randomTensor([16, 100], seed: 3, lower: -2, upper: 2)
        let q = try Int8Matrix(w)
        let restored = q.dequantized().scalars, original = w.scalars
        for n in 0..<16 {
            for k in 0..<100 { #expect(abs(restored[n * 100 + k] - original[n * 100 + k]) <= q.scales[n] / 2 + 1e-6) }
        }
        #expect(q.byteCount == 16 * 100 + 16 * 4)
        #expect(throws: TensorError.self) { try q.multiply(randomTensor([2, 99], seed: 4)) }
    }
}
