/// Reductions over one axis, and the sum that undoes broadcasting.
extension Tensor {
    /// Sum over `axis`; the axis is kept with size 1 when `keepingDimension` is true.
    public func sum(axis: Int, keepingDimension: Bool = false) throws -> Tensor {
        try reduce(axis: axis, keepingDimension: keepingDimension, "sum", initial: 0, { $0 + $1 })
    }

    /// Mean over `axis`.
    public func mean(axis: Int, keepingDimension: Bool = false) throws -> Tensor {
        let axisIndex = try normalizedAxis(axis, "mean")
        return try sum(axis: axis, keepingDimension: keepingDimension) * (1 / Float(Swift.max(shape[axisIndex], 1)))
    }

    /// Maximum over `axis`.
    public func max(axis: Int, keepingDimension: Bool = false) throws -> Tensor {
        try reduce(axis: axis, keepingDimension: keepingDimension, "max", initial: -.infinity, { Swift.max($0, $1) })
    }

    /// Index of the maximum over `axis` (the first one on ties), in row-major order of the
    /// remaining axes.
    public func argmax(axis: Int) throws -> [Int] {
        let axis = try normalizedAxis(axis, "argmax")
        guard shape[axis] > 0 else { throw TensorError.invalidArgument(operation: "argmax", detail: "axis \(axis) of \(shape) is empty") }
        let source = contiguous()
        let (outer, size, inner) = splitAround(axis: axis)
        var result = [Int](repeating: 0, count: outer * inner)
        let x = source.base
        for o in 0..<outer {
            for i in 0..<inner {
                var best = x[o * size * inner + i], bestIndex = 0
                for k in 1..<size {
                    let value = x[(o * size + k) * inner + i]
                    if value > best { best = value; bestIndex = k }
                }
                result[o * inner + i] = bestIndex
            }
        }
        return result
    }

    /// Sum of all elements (accumulated in Double).
    public func sum() -> Float {
        let source = contiguous()
        var total = 0.0
        let x = source.base
        for i in 0..<count { total += Double(x[i]) }
        return Float(total)
    }

    /// Sums a broadcast result back to `target`, the shape of the operand that was broadcast.
    ///
    /// The gradient of a broadcasting op with respect to an operand.
    public func reduced(toShape target: [Int]) throws -> Tensor {
        if shape == target { return self }
        guard rank >= target.count else { throw TensorError.shapeMismatch(operation: "reduce to shape", lhs: shape, rhs: target) }
        var result = self
        // Leading axes the target does not have.
        for _ in 0..<(rank - target.count) { result = try result.sum(axis: 0) }
        for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
            result = try result.sum(axis: axis, keepingDimension: true)
        }
        guard result.shape == target else { throw TensorError.shapeMismatch(operation: "reduce to shape", lhs: shape, rhs: target) }
        return result
    }

    @inline(__always)
    func reduce(
        axis: Int, keepingDimension: Bool, _ operation: String, initial: Float,
        _ combine: (Float, Float) -> Float
    ) throws -> Tensor {
        let axis = try normalizedAxis(axis, operation)
        if rank == 0 { return self }
        let source = contiguous()
        let (outer, size, inner) = splitAround(axis: axis)
        var newShape = shape
        if keepingDimension { newShape[axis] = 1 } else { newShape.remove(at: axis) }
        let result = Tensor(shape: newShape, repeating: initial)
        let x = source.base, y = result.base
        if outer < Parallelism.threadCount && inner >= 64 {
            // Few outer slices (a bias gradient: sum over all rows): split the columns instead.
            for o in 0..<outer {
                let out = y + o * inner
                Parallelism.forEachChunk(count: inner, costPerItem: size) { columns in
                    for k in 0..<size {
                        let row = x + (o * size + k) * inner
                        for i in columns { out[i] = combine(out[i], row[i]) }
                    }
                }
            }
            return result
        }
        Parallelism.forEachChunk(count: outer, costPerItem: size * inner) { range in
            for o in range {
                let out = y + o * inner
                for k in 0..<size {
                    let row = x + (o * size + k) * inner
                    for i in 0..<inner { out[i] = combine(out[i], row[i]) }
                }
            }
        }
        return result
    }
}
