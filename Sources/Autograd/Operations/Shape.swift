import Tensors

/// Operations that move elements without computing: their backward moves gradients back.
extension Variable {
    /// Same elements, new shape (one dimension may be -1).
    public func reshaped(_ shape: [Int]) throws -> Variable {
        let original = self.shape
        return Tape.record(try value.reshaped(shape), inputs: [self]) { g in [try g.reshaped(original)] }
    }

    /// Swaps two axes.
    public func transposed(_ first: Int, _ second: Int) throws -> Variable {
        Tape.record(try value.transposed(first, second), inputs: [self]) { g in [try g.transposed(first, second)] }
    }

    /// Reorders axes: axis `i` of the result is axis `order[i]` of `self`.
    public func permuted(_ order: [Int]) throws -> Variable {
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, axis) in order.enumerated() where axis >= 0 && axis < order.count { inverse[axis] = i }
        return Tape.record(try value.permuted(order), inputs: [self]) { g in [try g.permuted(inverse)] }
    }

    /// The elements whose index along `axis` lies in `range`.
    public func sliced(axis: Int, range: Range<Int>) throws -> Variable {
        let shape = self.shape
        let value = try value.sliced(axis: axis, range: range)
        let axis = axis < 0 ? axis + shape.count : axis
        return Tape.record(value, inputs: [self]) { g in
            // Pad the gradient with zeros on both sides of the slice.
            var pieces: [Tensor] = []
            var before = shape, after = shape
            before[axis] = range.lowerBound
            after[axis] = shape[axis] - range.upperBound
            if range.lowerBound > 0 { pieces.append(Tensor.zeros(before)) }
            pieces.append(g)
            if after[axis] > 0 { pieces.append(Tensor.zeros(after)) }
            return [try Tensor.concatenate(pieces, axis: axis)]
        }
    }

    /// Joins variables along `axis`.
    public static func concatenate(_ variables: [Variable], axis: Int) throws -> Variable {
        let value = try Tensor.concatenate(variables.map(\.value), axis: axis)
        let resolved = axis < 0 ? axis + value.rank : axis
        let sizes = variables.map { $0.shape[resolved] }
        return Tape.record(value, inputs: variables) { g in
            try g.split(axis: resolved, sizes: sizes).map { $0.contiguous() }
        }
    }

    /// Broadcasts to `shape` (NumPy rules).
    public func broadcast(to shape: [Int]) throws -> Variable {
        let original = self.shape
        return Tape.record(try value.broadcast(to: shape).contiguous(), inputs: [self]) { g in
            [try g.reduced(toShape: original)]
        }
    }
}
