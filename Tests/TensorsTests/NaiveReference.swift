import Foundation
import Tensors

/// Plain, obviously correct implementations that the kernels are checked against.
/// Everything here loops element by element in Double.
enum Naive {
    static func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) { result[axis] = step; step *= shape[axis] }
        return result
    }

    /// Multi-index of flat position `index` in `shape`.
    static func unravel(_ index: Int, _ shape: [Int]) -> [Int] {
        var rest = index
        var result = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return result
    }

    /// Value of a row-major array of `shape` at the broadcast multi-index `index` of a larger shape.
    static func broadcastValue(_ values: [Float], _ shape: [Int], at index: [Int]) -> Float {
        let lead = index.count - shape.count
        var flat = 0
        let s = strides(shape)
        for axis in 0..<shape.count where shape[axis] != 1 { flat += index[lead + axis] * s[axis] }
        return values[flat]
    }

    static func binary(_ a: Tensor, _ b: Tensor, _ op: (Double, Double) -> Double) -> [Float] {
        let rank = max(a.rank, b.rank)
        let pa = [Int](repeating: 1, count: rank - a.rank) + a.shape, pb = [Int](repeating: 1, count: rank - b.rank) + b.shape
        let shape = zip(pa, pb).map { max($0, $1) }
        let count = shape.reduce(1, *)
        let av = a.scalars, bv = b.scalars
        return (0..<count).map { i in
            let index = unravel(i, shape)
            return Float(op(Double(broadcastValue(av, a.shape, at: index)), Double(broadcastValue(bv, b.shape, at: index))))
        }
    }

    /// [M, K] x [K, N] on row-major arrays.
    static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
                c[i * n + j] = Float(sum)
            }
        }
        return c
    }

    static func softmaxRows(_ x: [Float], width: Int, logarithm: Bool) -> [Float] {
        var result = [Float](repeating: 0, count: x.count)
        for row in 0..<(x.count / width) {
            let slice = (0..<width).map { Double(x[row * width + $0]) }
            let maximum = slice.max()!
            let total = slice.reduce(0) { $0 + Foundation.exp($1 - maximum) }
            for j in 0..<width {
                result[row * width + j] = Float(logarithm ? slice[j] - maximum - Foundation.log(total) : Foundation.exp(slice[j] - maximum) / total)
            }
        }
        return result
    }

    static func layerNormRows(_ x: [Float], weight: [Float], bias: [Float]?, epsilon: Double, centered: Bool) -> [Float] {
        let width = weight.count
        var result = [Float](repeating: 0, count: x.count)
        for row in 0..<(x.count / width) {
            let slice = (0..<width).map { Double(x[row * width + $0]) }
            let mean = centered ? slice.reduce(0, +) / Double(width) : 0
            let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
            let rstd = 1 / (variance + epsilon).squareRoot()
            for j in 0..<width {
                result[row * width + j] = Float((slice[j] - mean) * rstd * Double(weight[j]) + Double(bias?[j] ?? 0))
            }
        }
        return result
    }

    static func gelu(_ x: Float) -> Float {
        let v = Double(x)
        return Float(0.5 * v * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v))))
    }

    static func silu(_ x: Float) -> Float { Float(Double(x) / (1 + Foundation.exp(-Double(x)))) }

    /// Direct 2-D convolution, NCHW, weight [Cout, Cin, KH, KW].
    static func convolution(_ x: Tensor, _ w: Tensor, _ bias: [Float]?, stride: Int, padding: Int) -> Tensor {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = (h + 2 * padding - kh) / stride + 1, ow = (wd + 2 * padding - kw) / stride + 1
        var out = [Float](repeating: 0, count: n * cout * oh * ow)
        for b in 0..<n { for o in 0..<cout { for y in 0..<oh { for xx in 0..<ow {
            var sum = Double(bias?[o] ?? 0)
            for c in 0..<cin { for i in 0..<kh { for j in 0..<kw {
                let iy = y * stride - padding + i, ix = xx * stride - padding + j
                if iy >= 0 && iy < h && ix >= 0 && ix < wd { sum += Double(x[b, c, iy, ix]) * Double(w[o, c, i, j]) }
            } } }
            out[((b * cout + o) * oh + y) * ow + xx] = Float(sum)
        } } } }
        return Tensor(shape: [n, cout, oh, ow], values: out)
    }

    /// Direct transposed convolution, NCHW, weight [Cin, Cout, KH, KW]: each input pixel
    /// scatters a kernel-sized stamp into the output.
    static func transposedConvolution(_ x: Tensor, _ w: Tensor, _ bias: [Float]?, stride: Int, padding: Int) -> Tensor {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        let oh = (h - 1) * stride - 2 * padding + kh, ow = (wd - 1) * stride - 2 * padding + kw
        var out = [Double](repeating: 0, count: n * cout * oh * ow)
        for b in 0..<n { for c in 0..<cin { for y in 0..<h { for xx in 0..<wd { for o in 0..<cout {
            for i in 0..<kh { for j in 0..<kw {
                let oy = y * stride - padding + i, ox = xx * stride - padding + j
                if oy >= 0 && oy < oh && ox >= 0 && ox < ow {
                    out[((b * cout + o) * oh + oy) * ow + ox] += Double(x[b, c, y, xx]) * Double(w[c, o, i, j])
                }
            } }
        } } } } }
        if let bias { for b in 0..<n { for o in 0..<cout { for p in 0..<(oh * ow) { out[(b * cout + o) * oh * ow + p] += Double(bias[o]) } } } }
        return Tensor(shape: [n, cout, oh, ow], values: out.map(Float.init))
    }
}
