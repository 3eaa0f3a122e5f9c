import Tensors

extension Variable {
    /// Sum of all elements (a one-element variable of shape []).
    public func sum() -> Variable {
        let shape = self.shape
        return Tape.record(Tensor(scalar: value.sum()), inputs: [self]) { g in
            [Tensor(shape: shape, repeating: g.scalar)]
        }
    }

    /// Mean of all elements.
    public func mean() -> Variable { sum() * (1 / Float(Swift.max(value.count, 1))) }

    /// Sum over `axis`.
    public func sum(axis: Int, keepingDimension: Bool = false) throws -> Variable {
        let shape = self.shape
        let resolved = axis < 0 ? axis + shape.count : axis
        return Tape.record(try value.sum(axis: axis, keepingDimension: keepingDimension), inputs: [self]) { g in
            let kept = keepingDimension ? g : try g.unsqueezed(resolved)
            return [try kept.broadcast(to: shape).contiguous()]
        }
    }

    /// Mean over `axis`.
    public func mean(axis: Int, keepingDimension: Bool = false) throws -> Variable {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard resolved >= 0 && resolved < shape.count else {
            throw TensorError.invalidAxis(operation: "mean", axis: axis, shape: shape)
        }
        return try sum(axis: axis, keepingDimension: keepingDimension) * (1 / Float(Swift.max(shape[resolved], 1)))
    }

    /// Maximum over `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepingDimension: Bool = false) throws -> Variable {
        let shape = self.shape
        let resolved = axis < 0 ? axis + shape.count : axis
        let result = try value.max(axis: axis, keepingDimension: keepingDimension)
        let winners = try value.argmax(axis: resolved)
        return Tape.record(result, inputs: [self]) { g in
            let outer = shape[..<resolved].reduce(1, *), size = shape[resolved]
            let inner = shape[(resolved + 1)...].reduce(1, *)
            let gradient = g.contiguous().scalars
            var values = [Float](repeating: 0, count: outer * size * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    values[(o * size + winners[o * inner + i]) * inner + i] = gradient[o * inner + i]
                }
            }
            return [Tensor(shape: shape, values: values)]
        }
    }
}
