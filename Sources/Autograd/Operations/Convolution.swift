import Tensors

extension Variable {
    /// 2-D convolution (NCHW): weight `[Cout, Cin, KH, KW]`, optional bias `[Cout]`.
    public func convolution2D(weight: Variable, bias: Variable?, geometry: Convolution2DGeometry = .init()) throws -> Variable {
        let input = value
        let output = try input.convolution2D(weight: weight.value, bias: bias?.value, geometry: geometry)
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return Tape.record(output, inputs: inputs) { g in
            let gradients = try Tensor.convolution2DBackward(input: input, weight: weight.value, geometry: geometry, outputGradient: g)
            return [gradients.input, gradients.weight] + (bias != nil ? [gradients.bias] : [])
        }
    }

    /// Transposed 2-D convolution (NCHW): weight `[Cin, Cout, KH, KW]`, optional bias `[Cout]`.
    public func transposedConvolution2D(weight: Variable, bias: Variable?, geometry: Convolution2DGeometry = .init()) throws -> Variable {
        let input = value
        let output = try input.transposedConvolution2D(weight: weight.value, bias: bias?.value, geometry: geometry)
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return Tape.record(output, inputs: inputs) { g in
            let gradients = try Tensor.transposedConvolution2DBackward(input: input, weight: weight.value, geometry: geometry, outputGradient: g)
            return [gradients.input, gradients.weight] + (bias != nil ? [gradients.bias] : [])
        }
    }
}
