import Testing
import Tensors
import TestSupport

/// Matrix products against a naive triple loop, through every operand layout.
struct MatmulTests {
    static let shapes: [(m: Int, k: Int, n: Int)] = [(1, 1, 1), (1, 7, 5), (3, 4, 5), (17, 33, 9), (64, 48, 80), (5, 1, 3)]

    @Test(arguments: shapes.indices)
    func plainProductMatchesNaive(index: Int) throws {
        let (m, k, n) = Self.shapes[index]
        let a = randomTensor([m, k], seed: 1), b = randomTensor([k, n], seed: 2)
        expectClose(try a.matmul(b).scalars, Naive.matmul(a.scalars, b.scalars, m: m, k: k, n: n), rtol: 1e-4, atol: 1e-5)
    }

    @Test(arguments: shapes.indices)
    func transposedViewsMatchNaive(index: Int) throws {
        let (m, k, n) = Self.shapes[index]
        // Build A^T and B^T as dense tensors, then view them transposed.
        let at = randomTensor([k, m], seed: 3), bt = randomTensor([n, k], seed: 4)
        let a = try at.transposed(0, 1), b = try bt.transposed(0, 1)
        #expect(!a.isContiguous || m == 1 || k == 1)
        let expected = Naive.matmul(a.contiguous().scalars, b.contiguous().scalars, m: m, k: k, n: n)
        expectClose(try a.matmul(b).scalars, expected, rtol: 1e-4, atol: 1e-5, "A^T B^T")
        expectClose(try a.contiguous().matmul(b).scalars, expected, rtol: 1e-4, atol: 1e-5, "A B^T")
        expectClose(try a.matmul(b.contiguous()).scalars, expected, rtol: 1e-4, atol: 1e-5, "A^T B")
    }

    @Test func batchedAndBroadcastBatches() throws {
        let a = randomTensor([2, 3, 4, 5], seed: 5), b = randomTensor([3, 5, 6], seed: 6)
        let c = try a.matmul(b)
        #expect(c.shape == [2, 3, 4, 6])
        let av = a.scalars, bv = b.scalars, cv = c.scalars
        for i in 0..<2 { for j in 0..<3 {
            let aBlock = Array(av[((i * 3 + j) * 20)..<((i * 3 + j + 1) * 20)])
            let bBlock = Array(bv[(j * 30)..<((j + 1) * 30)])
            expectClose(Array(cv[((i * 3 + j) * 24)..<((i * 3 + j + 1) * 24)]), Naive.matmul(aBlock, bBlock, m: 4, k: 5, n: 6), rtol: 1e-4, atol: 1e-5)
        } }
    }

    @Test func batchedTimesMatrixFoldsBatch() throws {
        let a = randomTensor([3, 7, 8], seed: 7), b = randomTensor([8, 5], seed: 8)
        let c = try a.matmul(b)
        #expect(c.shape == [3, 7, 5])
        expectClose(c.scalars, Naive.matmul(a.scalars, b.scalars, m: 21, k: 8, n: 5), rtol: 1e-4, atol: 1e-5)
    }

    @Test func transposedBatchedKeys() throws {
        // Attention scores: Q [B, T, D] x K^T where K is [B, T, D] viewed transposed.
        let q = randomTensor([2, 6, 4], seed: 9), k = randomTensor([2, 6, 4], seed: 10)
        let scores = try q.matmul(k.transposed(1, 2))
        let kt = try k.transposed(1, 2).contiguous()
        for batch in 0..<2 {
            let expected = Naive.matmul(Array(q.scalars[(batch * 24)..<((batch + 1) * 24)]), Array(kt.scalars[(batch * 24)..<((batch + 1) * 24)]), m: 6, k: 4, n: 6)
            expectClose(Array(scores.scalars[(batch * 36)..<((batch + 1) * 36)]), expected, rtol: 1e-4, atol: 1e-5)
        }
    }

    @Test func rowVectorUsesMatrixVectorPathCorrectly() throws {
        // M = 1 goes through sgemv; check both B layouts and a strided row.
        let x = randomTensor([4, 9], seed: 11), w = randomTensor([9, 13], seed: 12), wt = randomTensor([13, 9], seed: 13)
        let row = try x.sliced(axis: 0, range: 2..<3)
        expectClose(try row.matmul(w).scalars, Naive.matmul(row.scalars, w.scalars, m: 1, k: 9, n: 13), rtol: 1e-4, atol: 1e-5)
        let wtView = try wt.transposed(0, 1)
        expectClose(try row.matmul(wtView).scalars, Naive.matmul(row.scalars, wtView.contiguous().scalars, m: 1, k: 9, n: 13), rtol: 1e-4, atol: 1e-5)
        let column = try x.transposed(0, 1).sliced(axis: 1, range: 1..<2).transposed(0, 1)  // [1, 9] with stride 1? no: a strided row view
        expectClose(try column.matmul(w).scalars, Naive.matmul(column.contiguous().scalars, w.scalars, m: 1, k: 9, n: 13), rtol: 1e-4, atol: 1e-5)
    }

    @Test func mismatchedShapesThrowNamingBoth() {
        let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4, 5])
        #expect(throws: TensorError.shapeMismatch(operation: "matmul", lhs: [2, 3], rhs: [4, 5])) { try a.matmul(b) }
        do { _ = try a.matmul(b) } catch { #expect("\(error)".contains("[2, 3]") && "\(error)".contains("[4, 5]")) }
    }
}
