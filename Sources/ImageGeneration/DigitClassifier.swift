// The evaluation network: a small convolutional classifier in the spirit of LeCun et al.
// 1998 (LeNet), whose penultimate activations play the role Inception-v3 features play in
// FID (Heusel et al. 2017, section 3).

import Autograd
import Foundation
import NeuralNetworks
import Tensors
import Training

/// A small CNN classifier for square images: three convolutions (the last two stride 2), a
/// 128-unit feature layer and a linear read-out.
///
/// ```swift
/// var g = SeededGenerator(seed: 0)
/// let classifier = try DigitClassifier(configuration: DigitClassifier.Configuration(), generator: &g)
/// var training = TrainingConfiguration()
/// training.steps = 2000
/// _ = try classifier.train(on: train, batchSize: 64, training: training)
/// print(try classifier.accuracy(on: test))       // share in [0, 1]
/// ```
public final class DigitClassifier: Module {
    /// Image side, channels and classes: the classifier's whole configuration.
    public struct Configuration: Codable, Sendable, Equatable {
        /// Image side S in pixels (a multiple of 4), channels (1 or 3), classes, and width of the
        /// penultimate feature layer. Defaults: MNIST (28, 1, 10) and 128 features.
        public var imageSize = 28, imageChannels = 1, classCount = 10, featureSize = 128
        /// The MNIST defaults.
        public init() {}
    }

    /// The shape the classifier was built with.
    public let configuration: Configuration
    let convolution1: Convolution, convolution2: Convolution, convolution3: Convolution
    let featureLayer: Linear, readout: Linear

    /// A freshly initialised classifier.
    ///
    /// - Throws: ``ImageDataError/invalidArgument(detail:)`` unless the image side is a positive
    ///   multiple of 4, there are 2+ classes and a positive feature width.
    public init(configuration c: Configuration, generator g: inout SeededGenerator) throws {
        guard c.imageSize % 4 == 0, c.imageSize >= 4, c.classCount > 1, c.featureSize > 0 else {
            throw ImageDataError.invalidArgument(detail: "classifier: image size must be a multiple of 4 and there must be 2+ classes")
        }
        configuration = c
        convolution1 = Convolution(inputChannels: c.imageChannels, outputChannels: 32, kernel: 3, padding: 1, generator: &g)
        convolution2 = Convolution(inputChannels: 32, outputChannels: 32, kernel: 3, stride: 2, padding: 1, generator: &g)
        convolution3 = Convolution(inputChannels: 32, outputChannels: 64, kernel: 3, stride: 2, padding: 1, generator: &g)
        let flat = 64 * (c.imageSize / 4) * (c.imageSize / 4)
        featureLayer = Linear(inputSize: flat, outputSize: c.featureSize, generator: &g)
        readout = Linear(inputSize: c.featureSize, outputSize: c.classCount, generator: &g)
        assignParameterNames()
    }

    /// Penultimate features `[N, featureSize]` (after ReLU) of images `[N, C, S, S]`.
    public func features(_ images: Variable) throws -> Variable {
        let x = try convolution3(convolution2(convolution1(images).relu()).relu()).relu()
        return try featureLayer(x.reshaped([x.shape[0], -1])).relu()
    }

    /// Class logits `[N, classCount]`.
    public func logits(_ images: Variable) throws -> Variable { try readout(features(images)) }

    /// Predicted classes and features of images `[N, C, S, S]`, in batches, no gradients.
    public func predict(_ images: Tensor, batchSize: Int = 500) throws -> (classes: [Int], features: [[Float]]) {
        var classes: [Int] = [], rows: [[Float]] = []
        let n = images.shape[0]
        for start in stride(from: 0, to: n, by: batchSize) {
            let part = try images.sliced(axis: 0, range: start..<Swift.min(n, start + batchSize)).contiguous()
            try Tape.withoutGradient {
                let f = try features(Variable(part))
                classes += try readout(f).value.argmax(axis: 1)
                let values = f.value.scalars, d = configuration.featureSize
                for r in 0..<f.shape[0] { rows.append(Array(values[(r * d)..<((r + 1) * d)])) }
            }
        }
        return (classes, rows)
    }

    /// Trains on `dataset` with cross-entropy; returns the history.
    @discardableResult
    public func train(on dataset: ImageDataset, batchSize: Int, training: TrainingConfiguration,
                      progress: ProgressReporter.Output? = nil) throws -> [TrainingRecord] {
        let trainer = try Trainer(parameters: try ParameterSet(parameters), configuration: training)
        if let progress { trainer.progressOutput = progress }
        return try trainer.train(step: { _, _, generator in
            let indices = (0..<batchSize).map { _ in Int.random(in: 0..<dataset.count, using: &generator) }
            let loss = try self.logits(Variable(dataset.batch(indices))).crossEntropy(targets: indices.map { dataset.labels[$0] })
            return (loss, batchSize)
        })
    }

    /// Share of `dataset` classified correctly.
    public func accuracy(on dataset: ImageDataset) throws -> Double {
        let predicted = try predict(dataset.batch(Array(0..<dataset.count))).classes
        return Double(zip(predicted, dataset.labels).filter { $0 == $1 }.count) / Double(Swift.max(1, dataset.count))
    }

    static let fileKind = "digit-classifier"

    /// Saves to one safetensors file.
    public func save(to url: URL, halfPrecision: Bool = false) throws {
        try ModelFile.save(self, kind: Self.fileKind, configuration: configuration, to: url, halfPrecision: halfPrecision)
    }

    /// Loads a classifier saved by ``save(to:halfPrecision:)``.
    public static func load(from url: URL) throws -> DigitClassifier {
        let (configuration, file) = try ModelFile.open(url, kind: fileKind, as: Configuration.self)
        var generator = SeededGenerator(seed: 0)
        let model = try DigitClassifier(configuration: configuration, generator: &generator)
        try ModelFile.loadParameters(into: model, from: file)
        return model
    }
}
