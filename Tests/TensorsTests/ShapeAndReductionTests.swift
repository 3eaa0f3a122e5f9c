import Testing
import Tensors
import TestSupport

/// Views, copies and reductions against index arithmetic.
struct ShapeAndReductionTests {
    @Test func reshapeTransposePermuteSlice() throws {
        let x = Tensor(shape: [2, 3, 4], values: (0..<24).map(Float.init))
        #expect(try x.reshaped([4, -1]).shape == [4, 6])
        #expect(try x.reshaped([6, 4]).scalars == x.scalars)
        let t = try x.transposed(0, 2)  // [4, 3, 2]
        #expect(t.shape == [4, 3, 2] && !t.isContiguous)
        #expect(t[3, 2, 1] == x[1, 2, 3])
        let p = try x.permuted([1, 2, 0])  // [3, 4, 2]
        #expect(p[2, 3, 1] == x[1, 2, 3])
        #expect(p.contiguous().scalars == (0..<24).map { i in
            let (a, b, c) = (i / 8, (i / 2) % 4, i % 2); return x[c, a, b]
        })
        let s = try x.sliced(axis: 1, range: 1..<3)
        #expect(s.shape == [2, 2, 4] && s[1, 0, 2] == x[1, 1, 2])
        #expect(try s.reshaped([-1]).scalars == [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23])
        #expect(throws: TensorError.self) { try x.reshaped([5, 5]) }
        #expect(throws: TensorError.self) { try x.sliced(axis: 1, range: 2..<4) }
        #expect(throws: TensorError.self) { try x.permuted([0, 0, 1]) }
        #expect(throws: TensorError.self) { try x.transposed(0, 3) }
    }

    @Test func concatenateAndSplitRoundTrip() throws {
        let a = randomTensor([2, 3, 4], seed: 1), b = randomTensor([2, 5, 4], seed: 2)
        let c = try Tensor.concatenate([a, b], axis: 1)
        #expect(c.shape == [2, 8, 4])
        #expect(c[1, 4, 2] == b[1, 1, 2] && c[0, 2, 3] == a[0, 2, 3])
        let parts = try c.split(axis: 1, sizes: [3, 5])
        #expect(parts[0].contiguous().scalars == a.scalars && parts[1].contiguous().scalars == b.scalars)
        #expect(throws: TensorError.self) { try Tensor.concatenate([a, Tensor.zeros([2, 3, 5])], axis: 1) }
    }

    @Test(arguments: [[7], [3, 5], [2, 3, 4], [4, 1, 6, 2]])
    func reductionsOverEveryAxisMatchNaive(shape: [Int]) throws {
        let x = randomTensor(shape, seed: 3)
        let values = x.scalars
        for axis in 0..<shape.count {
            var reducedShape = shape; reducedShape.remove(at: axis)
            let count = reducedShape.reduce(1, *)
            var sums = [Float](repeating: 0, count: count), maxima = [Float](repeating: -.infinity, count: count)
            var winners = [Int](repeating: 0, count: count)
            for i in 0..<values.count {
                var index = Naive.unravel(i, shape)
                let k = index.remove(at: axis)
                var flat = 0
                for (d, v) in index.enumerated() { flat = flat * reducedShape[d] + v }
                sums[flat] += values[i]
                if values[i] > maxima[flat] { maxima[flat] = values[i]; winners[flat] = k }
            }
            expectClose(try x.sum(axis: axis).scalars, sums, rtol: 1e-5, atol: 1e-6, "sum axis \(axis)")
            expectClose(try x.mean(axis: axis).scalars, sums.map { $0 / Float(shape[axis]) }, rtol: 1e-5, atol: 1e-6, "mean axis \(axis)")
            #expect(try x.max(axis: axis).scalars == maxima)
            #expect(try x.argmax(axis: axis) == winners)
            #expect(try x.sum(axis: axis, keepingDimension: true).shape == shape.enumerated().map { $0.offset == axis ? 1 : $0.element })
            #expect(try x.sum(axis: axis - shape.count).scalars == x.sum(axis: axis).scalars)
        }
        #expect(throws: TensorError.invalidAxis(operation: "sum", axis: shape.count, shape: shape)) { try x.sum(axis: shape.count) }
    }

    @Test func reduceToShapeUndoesBroadcast() throws {
        let g = randomTensor([2, 3, 4], seed: 4)
        let toRow = try g.reduced(toShape: [4])
        expectClose(toRow.scalars, try g.sum(axis: 0).sum(axis: 0).scalars, rtol: 1e-5)
        let toColumn = try g.reduced(toShape: [3, 1])
        expectClose(toColumn.scalars, try g.sum(axis: 0).sum(axis: 1).scalars, rtol: 1e-5)
    }
}
