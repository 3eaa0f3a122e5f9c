import Tensors

extension Variable {
    /// Layer normalisation over the last axis with learned `weight` and optional `bias`.
    public func layerNorm(weight: Variable, bias: Variable?, epsilon: Float = 1e-5) throws -> Variable {
        let input = value
        let saved = try input.layerNorm(weight: weight.value, bias: bias?.value, epsilon: epsilon)
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return Tape.record(saved.output, inputs: inputs) { g in
            let gradients = try Tensor.layerNormBackward(
                input: input, weight: weight.value, hasBias: bias != nil, saved: saved, outputGradient: g)
            return [gradients.input, gradients.weight] + (bias != nil ? [gradients.bias] : [])
        }
    }

    /// RMS normalisation over the last axis with learned `weight` (LLaMA).
    public func rmsNorm(weight: Variable, epsilon: Float = 1e-5) throws -> Variable {
        let input = value
        let saved = try input.rmsNorm(weight: weight.value, epsilon: epsilon)
        return Tape.record(saved.output, inputs: [self, weight]) { g in
            let gradients = try Tensor.rmsNormBackward(input: input, weight: weight.value, saved: saved, outputGradient: g)
            return [gradients.input, gradients.weight]
        }
    }
}
