// The protocol of the `images eval` command: class accuracy of generated images under a
// classifier trained on real data, and the Fréchet distance (Heusel et al. 2017) in the
// classifier's penultimate features against the test set, with the real-vs-real floor
// (a train sample of the same size against the test set) beside it.

import Foundation
import Tensors

/// The numbers `images eval` reports.
public struct EvaluationReport: Codable, Sendable {
    /// Images generated and classified (classes x images per class).
    public var generatedImages: Int
    /// Share of generated images the classifier assigns to the requested class.
    public var classAccuracy: Double
    /// Fréchet distance of generated vs test features.
    public var frechetDistance: Double
    /// Fréchet distance of a real train sample vs test features (the floor).
    public var realFrechetDistance: Double
    /// Classifier accuracy on the test set.
    public var classifierTestAccuracy: Double
    /// Generation (sampling + decoding) throughput.
    public var imagesPerSecond: Double
    /// The sampling settings the images were generated with.
    public var settings: SamplingSettings
    /// The seed the images were generated with.
    public var seed: UInt64
}

/// The `images eval` protocol: class accuracy and Fréchet distance of generated images.
///
/// ```swift
/// let report = try ImageEvaluation.run(generator: generator, classifier: classifier, test: test, train: train,
///                                      perClass: 100, settings: SamplingSettings(), seed: 0)
/// print(report.classAccuracy, report.frechetDistance, report.realFrechetDistance)
/// ```
public enum ImageEvaluation {
    /// Generates `perClass` images of every class and scores them.
    ///
    /// - Parameters:
    ///   - test: the real reference images (MNIST test).
    ///   - train: real images for the floor (the first `test.count` are used).
    ///   - perClass: images generated for each class (> 0).
    ///   - seed: seeds the sampling; the same seed and settings give the same images.
    ///   - batchSize: images sampled per model batch.
    ///   - progress: receives lines on the generation's progress.
    /// - Throws: ``ImageDataError/invalidArgument(detail:)`` for `perClass` < 1; sampling and
    ///   Fréchet-distance errors.
    public static func run(generator: ImageGenerator, classifier: DigitClassifier, test: ImageDataset, train: ImageDataset,
                           perClass: Int, settings: SamplingSettings, seed: UInt64, batchSize: Int = 100,
                           progress: ((String) -> Void)? = nil) throws -> EvaluationReport {
        guard perClass > 0 else { throw ImageDataError.invalidArgument(detail: "images per class must be positive") }
        let classes = (0..<generator.classCount).flatMap { Array(repeating: $0, count: perClass) }
        let start = Date()
        let images = try generator.generateTensor(classes: classes, settings: settings, seed: seed, batchSize: batchSize) { done in
            progress?("generated \(done)/\(classes.count) images")
        }
        let seconds = Date().timeIntervalSince(start)
        let generated = try classifier.predict(images)
        let accuracy = Double(zip(generated.classes, classes).filter { $0 == $1 }.count) / Double(classes.count)
        let testResult = try classifier.predict(test.batch(Array(0..<test.count)))
        let testAccuracy = Double(zip(testResult.classes, test.labels).filter { $0 == $1 }.count) / Double(test.count)
        let trainSample = try classifier.predict(train.batch(Array(0..<Swift.min(train.count, test.count)))).features
        progress?("computing Fréchet distances")
        return EvaluationReport(
            generatedImages: classes.count, classAccuracy: accuracy,
            frechetDistance: try FrechetDistance.distance(generated.features, testResult.features),
            realFrechetDistance: try FrechetDistance.distance(trainSample, testResult.features),
            classifierTestAccuracy: testAccuracy, imagesPerSecond: Double(classes.count) / seconds,
            settings: settings, seed: seed)
    }
}
