/// An n-dimensional array of `Float` with shape, strides and an offset into shared storage.
///
/// Tensors are values: operations return new tensors and never change their operands.
/// Views (``reshaped(_:)``, ``transposed(_:_:)``, ``permuted(_:)``, ``sliced(axis:range:)``)
/// share storage and cost nothing; kernels that need dense rows call ``contiguous()``.
///
/// ```swift
/// let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
/// let b = try a.transposed(0, 1).matmul(a)   // [3, 3]; the transpose is passed to BLAS
/// ```
public struct Tensor: @unchecked Sendable {
    /// The buffer this tensor views.
    public let storage: TensorStorage
    /// Size of each dimension.
    public let shape: [Int]
    /// Elements to step in storage per unit of each dimension.
    public let strides: [Int]
    /// Index in storage of the element at all-zero coordinates.
    public let offset: Int

    /// Creates a view of `storage`. The caller guarantees that every index is in bounds.
    public init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int = 0) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// Creates a contiguous tensor over fresh uninitialised storage.
    public init(uninitializedShape shape: [Int]) {
        self.init(
            storage: TensorStorage(uninitializedCount: Tensor.elementCount(shape)),
            shape: shape, strides: Tensor.contiguousStrides(shape))
    }

    /// Creates a tensor filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(
            storage: TensorStorage(count: Tensor.elementCount(shape), repeating: value),
            shape: shape, strides: Tensor.contiguousStrides(shape))
    }

    /// Creates a tensor from values in row-major order.
    ///
    /// - Precondition: `values.count` equals the product of `shape` (a programming error,
    ///   not user input: use ``init(shape:checkedValues:)`` for data from outside).
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == Tensor.elementCount(shape),
                     "Tensor(shape: \(shape)) needs \(Tensor.elementCount(shape)) values, got \(values.count)")
        self.init(uninitializedShape: shape)
        values.withUnsafeBufferPointer { source in
            storage.pointer.update(from: source.baseAddress!, count: values.count)
        }
    }

    /// Creates a tensor from values, throwing when their count does not fit the shape.
    public init(shape: [Int], checkedValues values: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), values.count == Tensor.elementCount(shape) else {
            throw TensorError.invalidShape(
                operation: "Tensor(shape:values:)", shape: shape,
                detail: "needs \(Tensor.elementCount(shape)) values, got \(values.count)")
        }
        self.init(shape: shape, values: values)
    }

    /// A rank-0 tensor holding one value.
    public init(scalar value: Float) {
        self.init(shape: [], repeating: value)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Number of elements.
    public var count: Int { Tensor.elementCount(shape) }

    /// True when the elements are laid out densely in row-major order.
    public var isContiguous: Bool {
        // Size-1 axes may carry any stride; they never move the position.
        var expected = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return count == 0 }
            expected *= shape[axis]
        }
        return true
    }

    /// The elements in row-major order.
    public var scalars: [Float] {
        let dense = contiguous()
        return Array(UnsafeBufferPointer(start: dense.storage.pointer + dense.offset, count: count))
    }

    /// The single value of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "scalar needs a one-element tensor, shape is \(shape)")
        return storage.pointer[offset]
    }

    /// The element at `indices` (bounds-checked).
    public subscript(indices: Int...) -> Float {
        precondition(indices.count == rank, "expected \(rank) indices, got \(indices.count)")
        var position = offset
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis], "index \(index) out of range for axis \(axis) of \(shape)")
            position += index * strides[axis]
        }
        return storage.pointer[position]
    }

    /// Product of the dimensions (1 for a scalar).
    public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides of a dense tensor of `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= Swift.max(shape[axis], 1)
        }
        return strides
    }

    /// Runs `body` with a pointer to this tensor's first element; the tensor must be contiguous.
    @inline(__always)
    public func withUnsafePointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        precondition(isContiguous, "withUnsafePointer needs a contiguous tensor")
        return try body(UnsafePointer(storage.pointer + offset))
    }

    /// Pointer to the first element (no contiguity check; for kernels in this module).
    @inline(__always)
    var base: UnsafeMutablePointer<Float> { storage.pointer + offset }
}

extension Tensor: CustomStringConvertible {
    /// The shape and the first eight values, e.g. `Tensor(shape: [2, 3], [1.0, ...])`.
    public var description: String {
        let values = scalars
        let shown = values.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(values.count > 8 ? ", ..." : "")])"
    }
}

extension Tensor {
    /// Normalises a possibly negative axis, throwing when it is out of range.
    @inline(__always)
    func normalizedAxis(_ axis: Int, _ operation: String) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0 && resolved < Swift.max(rank, 1) else {
            throw TensorError.invalidAxis(operation: operation, axis: axis, shape: shape)
        }
        return resolved
    }

    /// Views a contiguous tensor as [outer, size, inner] around `axis`.
    @inline(__always)
    func splitAround(axis: Int) -> (outer: Int, size: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }
}
