#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row gather (embedding lookup) and its adjoint, scatter-add.
extension Tensor {
    /// Rows of a `[V, C]` table picked by `indices`: the result is `[indices.count, C]`.
    ///
    /// - Throws: ``TensorError/invalidArgument(operation:detail:)`` naming the first index
    ///   outside `0..<V`.
    public func gatherRows(_ indices: [Int]) throws -> Tensor {
        guard rank == 2 else { throw TensorError.invalidShape(operation: "gather rows", shape: shape, detail: "the table must be [V, C]") }
        let rows = shape[0], width = shape[1]
        if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
            throw TensorError.invalidArgument(operation: "gather rows", detail: "index \(bad) is outside 0..<\(rows)")
        }
        let table = contiguous()
        let result = Tensor(uninitializedShape: [indices.count, width])
        let source = table.base, destination = result.base
        for (row, index) in indices.enumerated() {
            memcpy(destination + row * width, source + index * width, width * MemoryLayout<Float>.stride)
        }
        return result
    }

    /// Adds row `i` of `source` ([N, C]) into row `indices[i]` of a zero `[rowCount, C]` table:
    /// the gradient of ``gatherRows(_:)``. Repeated indices accumulate.
    public static func scatterAddRows(_ source: Tensor, indices: [Int], rowCount: Int) throws -> Tensor {
        guard source.rank == 2, source.shape[0] == indices.count else {
            throw TensorError.shapeMismatch(operation: "scatter-add rows", lhs: source.shape, rhs: [indices.count])
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw TensorError.invalidArgument(operation: "scatter-add rows", detail: "index \(bad) is outside 0..<\(rowCount)")
        }
        let width = source.shape[1]
        let result = Tensor.zeros([rowCount, width])
        let input = source.contiguous().base, output = result.base
        for (row, index) in indices.enumerated() {
            let from = input + row * width, to = output + index * width
            for j in 0..<width { to[j] += from[j] }
        }
        return result
    }
}
