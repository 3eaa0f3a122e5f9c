import Tensors

extension Variable {
    /// Rows of this `[V, C]` table picked by `indices`: `[indices.count, C]`.
    /// Backward scatter-adds the gradient rows into the table's gradient.
    public func gatherRows(_ indices: [Int]) throws -> Variable {
        let rowCount = shape.first ?? 0
        return Tape.record(try value.gatherRows(indices), inputs: [self]) { g in
            [try Tensor.scatterAddRows(g, indices: indices, rowCount: rowCount)]
        }
    }
}
