import Tensors

extension Variable {
    /// Softmax over the last axis. Forward saves the output, which is all backward needs.
    public func softmax() -> Variable {
        let output = value.softmax()
        return Tape.record(output, inputs: [self]) { g in
            [try Tensor.softmaxBackward(output: output, outputGradient: g)]
        }
    }

    /// Log-softmax over the last axis.
    public func logSoftmax() -> Variable {
        let output = value.logSoftmax()
        return Tape.record(output, inputs: [self]) { g in
            [try Tensor.logSoftmaxBackward(output: output, outputGradient: g)]
        }
    }
}
