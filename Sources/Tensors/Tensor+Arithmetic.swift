#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Broadcasting elementwise arithmetic (NumPy rules).
extension Tensor {
    /// Elementwise sum, broadcasting both operands.
    ///
    /// - Throws: ``TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try binary(lhs, rhs, "add", { $0 + $1 }, { $0 + $1 })
    }

    /// Elementwise difference, broadcasting both operands.
    ///
    /// - Throws: ``TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try binary(lhs, rhs, "subtract", { $0 - $1 }, { $0 - $1 })
    }

    /// Elementwise product, broadcasting both operands.
    ///
    /// - Throws: ``TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try binary(lhs, rhs, "multiply", { $0 * $1 }, { $0 * $1 })
    }

    /// Elementwise quotient, broadcasting both operands.
    ///
    /// - Throws: ``TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try binary(lhs, rhs, "divide", { $0 / $1 }, { $0 / $1 })
    }

    /// Elementwise maximum of two tensors (broadcasting).
    public static func maximum(_ lhs: Tensor, _ rhs: Tensor) throws -> Tensor {
        try binary(lhs, rhs, "maximum", { Swift.max($0, $1) }, { $0.replacing(with: $1, where: $1 .> $0) })
    }

    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.map({ $0 + rhs }, { $0 + rhs }) }
    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.map({ $0 - rhs }, { $0 - rhs }) }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map({ $0 * rhs }, { $0 * rhs }) }
    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.map({ $0 / rhs }, { $0 / rhs }) }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }
    /// Negates every element.
    public static prefix func - (operand: Tensor) -> Tensor { operand.map({ -$0 }, { -$0 }) }

    /// Applies `scalarOperation` to every element; `vectorOperation` must compute the same
    /// function on eight lanes at once.
    @inline(__always)
    public func map(
        _ scalarOperation: (Float) -> Float,
        _ vectorOperation: (SIMD8<Float>) -> SIMD8<Float>
    ) -> Tensor {
        let source = contiguous()
        let result = Tensor(uninitializedShape: shape)
        let input = source.base, output = result.base
        Parallelism.forEachChunk(count: count, costPerItem: 4) { range in
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                VectorMath.store(vectorOperation(VectorMath.load(input + i)), output + i)
                i += 8
            }
            while i < range.upperBound { output[i] = scalarOperation(input[i]); i += 1 }
        }
        return result
    }

    /// Combines two tensors elementwise after broadcasting them to a common shape.
    @inline(__always)
    static func binary(
        _ a: Tensor, _ b: Tensor, _ operation: String,
        _ scalarOperation: (Float, Float) -> Float,
        _ vectorOperation: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>
    ) throws -> Tensor {
        let shape = try broadcastShape(a.shape, b.shape, operation: operation)
        let result = Tensor(uninitializedShape: shape)
        let count = result.count
        let output = result.base
        if a.shape == shape, b.shape == shape, a.isContiguous, b.isContiguous {
            let x = a.base, y = b.base
            Parallelism.forEachChunk(count: count, costPerItem: 2) { range in
                var i = range.lowerBound
                while i + 8 <= range.upperBound {
                    VectorMath.store(vectorOperation(VectorMath.load(x + i), VectorMath.load(y + i)), output + i)
                    i += 8
                }
                while i < range.upperBound { output[i] = scalarOperation(x[i], y[i]); i += 1 }
            }
            return result
        }
        if a.shape == shape, a.isContiguous, b.isContiguous, b.count > 0,
           Array(shape.suffix(b.rank)) == b.shape || b.count == 1 {
            // [.., C] op [C] (bias) or op scalar: rows of `a` against one row of `b`.
            let width = b.count, rows = count / width, x = a.base, y = b.base
            Parallelism.forEachChunk(count: rows, costPerItem: width) { range in
                for row in range {
                    let xr = x + row * width, zr = output + row * width
                    var j = 0
                    while j + 8 <= width {
                        VectorMath.store(vectorOperation(VectorMath.load(xr + j), VectorMath.load(y + j)), zr + j)
                        j += 8
                    }
                    while j < width { zr[j] = scalarOperation(xr[j], y[j]); j += 1 }
                }
            }
            return result
        }
        // General case: walk both broadcast views with an odometer over the outer axes.
        let left = try a.broadcast(to: shape), right = try b.broadcast(to: shape)
        if count == 0 { return result }
        if shape.isEmpty { output[0] = scalarOperation(left.base[0], right.base[0]); return result }
        let inner = shape.last!, outerAxes = shape.count - 1
        let ls = left.strides.last!, rs = right.strides.last!
        var index = [Int](repeating: 0, count: outerAxes)
        var lo = left.offset, ro = right.offset, written = 0
        let lp = left.storage.pointer, rp = right.storage.pointer
        while written < count {
            for j in 0..<inner { output[written + j] = scalarOperation(lp[lo + j * ls], rp[ro + j * rs]) }
            written += inner
            var axis = outerAxes - 1
            while axis >= 0 {
                index[axis] += 1
                lo += left.strides[axis]; ro += right.strides[axis]
                if index[axis] < shape[axis] { break }
                lo -= left.strides[axis] * shape[axis]; ro -= right.strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

/// Elementwise functions.
extension Tensor {
    /// e^x.
    public func exp() -> Tensor { map({ VectorMath.exp($0) }, { VectorMath.exp($0) }) }

    /// Natural logarithm.
    public func log() -> Tensor { map({ Foundation_log($0) }, { v in SIMD8(v.indices.map { Foundation_log(v[$0]) }) }) }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor { map({ Foundation_tanh($0) }, { v in SIMD8(v.indices.map { Foundation_tanh(v[$0]) }) }) }

    /// Square root.
    public func squareRoot() -> Tensor { map({ $0.squareRoot() }, { $0.squareRoot() }) }

    /// max(x, 0).
    public func relu() -> Tensor { map({ Swift.max($0, 0) }, { $0.replacing(with: 0, where: $0 .< 0) }) }

    /// Logistic sigmoid.
    public func sigmoid() -> Tensor { map({ 1 / (1 + VectorMath.exp(-$0)) }, { VectorMath.sigmoid($0) }) }
}

@inline(__always) func Foundation_log(_ x: Float) -> Float { logf(x) }
@inline(__always) func Foundation_tanh(_ x: Float) -> Float { tanhf(x) }

/// In-place updates, for code that owns a freshly allocated buffer (optimisers, gradient
/// accumulation). They write into `self`'s storage, which must be contiguous and unshared.
extension Tensor {
    /// `self += scale * other`, elementwise; shapes must be equal.
    public func addInPlace(_ other: Tensor, scale: Float = 1) throws {
        guard shape == other.shape else { throw TensorError.shapeMismatch(operation: "addInPlace", lhs: shape, rhs: other.shape) }
        precondition(isContiguous, "addInPlace needs a contiguous destination")
        let source = other.contiguous()
        let x = source.base, y = base
        Parallelism.forEachChunk(count: count, costPerItem: 2) { range in
            for i in range { y[i] += scale * x[i] }
        }
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) {
        precondition(isContiguous, "fill needs a contiguous tensor")
        base.update(repeating: value, count: count)
    }

    /// Multiplies every element by `factor` in place.
    public func scaleInPlace(_ factor: Float) {
        precondition(isContiguous, "scaleInPlace needs a contiguous tensor")
        let y = base
        Parallelism.forEachChunk(count: count, costPerItem: 1) { range in
            for i in range { y[i] *= factor }
        }
    }

    /// Copies `other`'s elements into `self` (same shape).
    public func copyInPlace(from other: Tensor) throws {
        guard shape == other.shape else { throw TensorError.shapeMismatch(operation: "copyInPlace", lhs: shape, rhs: other.shape) }
        precondition(isContiguous, "copyInPlace needs a contiguous destination")
        other.copyStrided(into: base)
    }

    /// A fresh copy that owns its storage.
    public func copy() -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        copyStrided(into: result.base)
        return result
    }
}
