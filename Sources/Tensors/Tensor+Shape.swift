#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// A dense row-major copy, or `self` when already dense.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let result = Tensor(uninitializedShape: shape)
        copyStrided(into: result.storage.pointer)
        return result
    }

    /// Copies the elements in row-major order to `destination`, walking any strides.
    func copyStrided(into destination: UnsafeMutablePointer<Float>) {
        let total = count
        if total == 0 { return }
        if isContiguous {
            memcpy(destination, base, total * MemoryLayout<Float>.stride)
            return
        }
        let innerSize = shape.last!
        let innerStride = strides.last!
        let outerShape = Array(shape.dropLast())
        let outerStrides = Array(strides.dropLast())
        let source = storage.pointer
        var index = [Int](repeating: 0, count: outerShape.count)
        var sourceOffset = offset
        var written = 0
        while written < total {
            if innerStride == 1 {
                memcpy(destination + written, source + sourceOffset, innerSize * MemoryLayout<Float>.stride)
            } else {
                for i in 0..<innerSize { destination[written + i] = source[sourceOffset + i * innerStride] }
            }
            written += innerSize
            // Advance the outer multi-index like an odometer.
            var axis = outerShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                sourceOffset += outerStrides[axis]
                if index[axis] < outerShape[axis] { break }
                sourceOffset -= outerStrides[axis] * outerShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// The same elements with a new shape; one dimension may be `-1` (inferred).
    ///
    /// A view when the tensor is contiguous, otherwise a copy.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError.invalidShape(operation: "reshape", shape: newShape, detail: "at most one -1 and no other negative sizes")
        }
        if let axis = inferred.first {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw TensorError.shapeMismatch(operation: "reshape", lhs: shape, rhs: newShape)
            }
            resolved[axis] = count / known
        }
        guard Tensor.elementCount(resolved) == count else {
            throw TensorError.shapeMismatch(operation: "reshape", lhs: shape, rhs: newShape)
        }
        let dense = contiguous()
        return Tensor(storage: dense.storage, shape: resolved, strides: Tensor.contiguousStrides(resolved), offset: dense.offset)
    }

    /// Swaps two axes (a view).
    public func transposed(_ first: Int, _ second: Int) throws -> Tensor {
        let a = try normalizedAxis(first, "transpose"), b = try normalizedAxis(second, "transpose")
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permuted(order)
    }

    /// Reorders the axes (a view): axis `i` of the result is axis `order[i]` of `self`.
    public func permuted(_ order: [Int]) throws -> Tensor {
        guard order.count == rank, Set(order) == Set(0..<rank) else {
            throw TensorError.invalidArgument(operation: "permute", detail: "\(order) is not a permutation of the axes of \(shape)")
        }
        return Tensor(storage: storage, shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset)
    }

    /// The elements whose index along `axis` lies in `range` (a view).
    public func sliced(axis: Int, range: Range<Int>) throws -> Tensor {
        let axis = try normalizedAxis(axis, "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
            throw TensorError.invalidArgument(operation: "slice", detail: "range \(range) is out of bounds for axis \(axis) of \(shape)")
        }
        var newShape = shape
        newShape[axis] = range.count
        return Tensor(storage: storage, shape: newShape, strides: strides, offset: offset + range.lowerBound * strides[axis])
    }

    /// Inserts a dimension of size 1 at `axis` (a view).
    public func unsqueezed(_ axis: Int) throws -> Tensor {
        let position = axis < 0 ? axis + rank + 1 : axis
        guard position >= 0 && position <= rank else {
            throw TensorError.invalidAxis(operation: "unsqueeze", axis: axis, shape: shape)
        }
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: position)
        newStrides.insert(position < rank ? strides[position] * shape[position] : 1, at: position)
        return Tensor(storage: storage, shape: newShape, strides: newStrides, offset: offset)
    }

    /// A view of this tensor broadcast to `target` (stride 0 along broadcast axes).
    public func broadcast(to target: [Int]) throws -> Tensor {
        guard target.count >= rank else {
            throw TensorError.shapeMismatch(operation: "broadcast", lhs: shape, rhs: target)
        }
        let lead = target.count - rank
        var newStrides = [Int](repeating: 0, count: target.count)
        for axis in 0..<rank {
            if shape[axis] == target[lead + axis] {
                newStrides[lead + axis] = strides[axis]
            } else if shape[axis] != 1 {
                throw TensorError.shapeMismatch(operation: "broadcast", lhs: shape, rhs: target)
            }
        }
        return Tensor(storage: storage, shape: target, strides: newStrides, offset: offset)
    }

    /// The shape two operands broadcast to under NumPy rules.
    public static func broadcastShape(_ a: [Int], _ b: [Int], operation: String) throws -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else {
                throw TensorError.shapeMismatch(operation: operation, lhs: a, rhs: b)
            }
            result[i] = x == 1 ? y : x
        }
        return result
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError.invalidArgument(operation: "concatenate", detail: "needs at least one tensor")
        }
        let axis = try first.normalizedAxis(axis, "concatenate")
        for tensor in tensors.dropFirst() {
            var a = first.shape, b = tensor.shape
            guard a.count == b.count else { throw TensorError.shapeMismatch(operation: "concatenate", lhs: first.shape, rhs: tensor.shape) }
            a[axis] = 0; b[axis] = 0
            guard a == b else { throw TensorError.shapeMismatch(operation: "concatenate", lhs: first.shape, rhs: tensor.shape) }
        }
        var shape = first.shape
        shape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let result = Tensor(uninitializedShape: shape)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var column = 0
        for tensor in tensors {
            let dense = tensor.contiguous()
            let width = tensor.shape[axis] * inner
            for row in 0..<outer {
                memcpy(result.base + row * shape[axis] * inner + column,
                       dense.base + row * width, width * MemoryLayout<Float>.stride)
            }
            column += width
        }
        return result
    }

    /// Splits `self` along `axis` into pieces of the given sizes (views).
    public func split(axis: Int, sizes: [Int]) throws -> [Tensor] {
        let axis = try normalizedAxis(axis, "split")
        guard sizes.reduce(0, +) == shape[axis], sizes.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidArgument(operation: "split", detail: "sizes \(sizes) do not add up to \(shape[axis]) along axis \(axis) of \(shape)")
        }
        var start = 0
        return try sizes.map { size in
            defer { start += size }
            return try sliced(axis: axis, range: start..<(start + size))
        }
    }
}
