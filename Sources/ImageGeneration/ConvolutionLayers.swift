import Autograd
import NeuralNetworks
import Tensors

/// A 2-D convolution layer (NCHW), weight `[Cout, Cin, K, K]`, PyTorch's default
/// Kaiming-uniform initialisation.
public final class Convolution: Module {
    /// Kernels `[Cout, Cin, K, K]`, Kaiming-uniform with fan-in `Cin * K * K`.
    public let weight: Variable
    /// One bias per output channel `[Cout]`, starting at 0.
    public let bias: Variable
    /// Stride and zero padding, equal along both axes.
    public let geometry: Convolution2DGeometry

    /// A freshly initialised `kernel` x `kernel` convolution from `inputChannels` to `outputChannels`.
    public init(inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                generator: inout SeededGenerator) {
        let fanIn = inputChannels * kernel * kernel
        weight = Variable(Tensor.kaimingUniform([outputChannels, inputChannels, kernel, kernel], fanIn: fanIn, using: &generator),
                          requiresGradient: true)
        bias = Variable(Tensor.zeros([outputChannels]), requiresGradient: true)
        geometry = Convolution2DGeometry(stride: stride, padding: padding)
    }

    /// `[N, Cin, H, W] -> [N, Cout, H', W']`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        try x.convolution2D(weight: weight, bias: bias, geometry: geometry)
    }
}

/// A transposed 2-D convolution layer (NCHW), weight `[Cin, Cout, K, K]`.
public final class TransposedConvolution: Module {
    /// Kernels `[Cin, Cout, K, K]`, Kaiming-uniform with fan-in `Cin * K * K / s^2`.
    public let weight: Variable
    /// One bias per output channel `[Cout]`, starting at 0.
    public let bias: Variable
    /// Stride (the upsampling factor) and padding, equal along both axes.
    public let geometry: Convolution2DGeometry

    /// A freshly initialised `kernel` x `kernel` transposed convolution from `inputChannels` to `outputChannels`.
    public init(inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                generator: inout SeededGenerator) {
        let fanIn = inputChannels * kernel * kernel / Swift.max(1, stride * stride)
        weight = Variable(Tensor.kaimingUniform([inputChannels, outputChannels, kernel, kernel], fanIn: fanIn, using: &generator),
                          requiresGradient: true)
        bias = Variable(Tensor.zeros([outputChannels]), requiresGradient: true)
        geometry = Convolution2DGeometry(stride: stride, padding: padding)
    }

    /// `[N, Cin, H, W] -> [N, Cout, (H-1) s - 2p + K, ...]`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        try x.transposedConvolution2D(weight: weight, bias: bias, geometry: geometry)
    }
}
