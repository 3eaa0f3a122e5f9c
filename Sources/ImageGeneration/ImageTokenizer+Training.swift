import Autograd
import Foundation
import Tensors
import Training

/// Reconstruction quality and code usage of a tokenizer on a data set.
public struct TokenizerReport: Codable, Sendable, Equatable {
    /// Kind of quantiser (`vq` or `bae`).
    public var kind: String
    /// Images evaluated.
    public var images: Int
    /// Mean squared error per pixel, pixels in [0, 1].
    public var meanSquaredError: Double
    /// Peak signal-to-noise ratio `10 log10(1 / MSE)` in dB.
    public var peakSignalToNoise: Double
    /// Distinct sub-token values used / values available (averaged over sub-token slots).
    public var codeUsage: Double
    /// `exp(entropy)` of the sub-token histogram (averaged over sub-token slots).
    public var perplexity: Double
    /// Distinct whole codes (all sub-tokens of a position together) seen.
    public var distinctCodes: Int
}

extension ImageTokenizer {
    /// Trains the tokenizer on `dataset` with the project's ``Trainer``. A VQ codebook starts
    /// from k-means on the encoder outputs of the first batch (so that codes and latents start
    /// together), follows its latents by moving averages, and restarts codes unused over the
    /// last `restartInterval` steps from encoder outputs.
    ///
    /// Checkpoints (when `training.checkpointInterval > 0`) hold, besides weights, codebook and
    /// optimiser state, the codebook's moving averages and the code-usage counts since the last
    /// restart, so that a resumed run continues exactly as an uninterrupted one.
    ///
    /// - Parameters:
    ///   - batchSize: images per step.
    ///   - training: steps, learning rate, schedule, seed, checkpoints in
    ///     `<outputDirectory>/checkpoint` (checkpointing off unless set).
    ///   - resume: continue from `<outputDirectory>/checkpoint` when it exists (without one, a
    ///     new run starts with a note: ``TrainingRun``'s policy).
    ///   - records: files recording the run's settings, written into the run folder once the
    ///     data set is checked.
    public func train(on dataset: ImageDataset, batchSize: Int, training: TrainingConfiguration, restartInterval: Int = 50,
                      resume: Bool = false, records: [TrainingRun.Record] = [],
                      progress: ProgressReporter.Output? = nil) throws -> [TrainingRecord] {
        guard dataset.channels == configuration.imageChannels, dataset.width == configuration.imageSize, dataset.height == configuration.imageSize else {
            throw ImageDataError.mismatch(detail: "the data set holds \(dataset.width)x\(dataset.height)x\(dataset.channels) images, the tokenizer takes \(configuration.imageSize)x\(configuration.imageSize)x\(configuration.imageChannels)")
        }
        // The codebook's training state, checkpointed with the parameters (no gradient, so
        // AdamW leaves it alone) and copied from/to the quantiser around each step.
        let k = configuration.codebookSize, d = configuration.latentChannels
        let sizesState = Variable(Tensor.zeros([k]), name: "vq-training.cluster-sizes")
        let sumsState = Variable(Tensor.zeros([k, d]), name: "vq-training.cluster-sums")
        let usageState = Variable(Tensor.zeros([k]), name: "vq-training.code-usage")
        let extra = quantizer == nil ? [] : [sizesState, sumsState, usageState]
        let trainer = try Trainer(parameters: try ParameterSet(parameters + extra), configuration: training)
        if let progress { trainer.progressOutput = progress }
        var usage = [Int](repeating: 0, count: k)
        func write(_ values: [Float], to variable: Variable) {
            let pointer = variable.value.storage.pointer + variable.value.offset
            for i in values.indices { pointer[i] = values[i] }
        }
        if let quantizer {
            let averages = quantizer.movingAverages()
            write(averages.sizes, to: sizesState)
            write(averages.sums, to: sumsState)
        }
        let run = try ImageTokenModel.openRun(training, resume: resume, records: records, progress: progress)
        if try run?.attach(trainer) != nil, let quantizer {
            try quantizer.setMovingAverages(sizes: sizesState.value.scalars, sums: sumsState.value.scalars)
            usage = usageState.value.scalars.map { Int($0) }
        }
        return try trainer.train(step: { step, _, generator in
            let indices = (0..<batchSize).map { _ in Int.random(in: 0..<dataset.count, using: &generator) }
            let images = dataset.batch(indices)
            if let quantizer = self.quantizer, step == 0 {
                let latents = try Tape.withoutGradient { try self.encodeLatents(Variable(images)).value }
                try quantizer.initialize(from: VectorQuantizer.rows(latents), generator: &generator)
            }
            let result = try self.loss(images, generator: &generator)
            if let quantizer = self.quantizer {
                for code in result.codes { usage[code] += 1 }
                if restartInterval > 0 && (step + 1) % restartInterval == 0 && step + 1 < training.steps {
                    quantizer.restartUnused(usage: usage, candidates: result.latentRows, generator: &generator)
                    usage = [Int](repeating: 0, count: k)
                }
                let averages = quantizer.movingAverages()
                write(averages.sizes, to: sizesState)
                write(averages.sums, to: sumsState)
                write(usage.map { Float($0) }, to: usageState)
            }
            return (result.loss, batchSize)
        })
    }

    /// Reconstruction MSE / PSNR and code usage over (up to `limit` images of) `dataset`.
    public func evaluate(on dataset: ImageDataset, limit: Int = 10_000, batchSize: Int = 250) throws -> TokenizerReport {
        let c = configuration, n = Swift.min(limit, dataset.count), s = c.subTokenCount
        var squaredError = 0.0
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: c.subVocabularySize), count: s)
        var codes = Set<[Int]>()
        for start in stride(from: 0, to: n, by: batchSize) {
            let images = dataset.batch(Array(start..<Swift.min(n, start + batchSize)))
            let tokens = try encode(images)
            let decoded = try decode(tokens)
            let difference = try decoded - images
            squaredError += Double(try (difference * difference).sum())
            for row in tokens {
                for position in 0..<c.positionCount {
                    let code = Array(row[(position * s)..<((position + 1) * s)])
                    for slot in 0..<s { histograms[slot][code[slot]] += 1 }
                    codes.insert(code)
                }
            }
        }
        let mse = squaredError / Double(n * dataset.imageSize)
        var usage = 0.0, perplexity = 0.0
        for histogram in histograms {
            let total = Double(histogram.reduce(0, +))
            usage += Double(histogram.filter { $0 > 0 }.count) / Double(c.subVocabularySize)
            let entropy = histogram.filter { $0 > 0 }.reduce(0.0) { $0 - Double($1) / total * Foundation.log(Double($1) / total) }
            perplexity += Foundation.exp(entropy)
        }
        return TokenizerReport(kind: c.kind.rawValue, images: n, meanSquaredError: mse, peakSignalToNoise: 10 * log10(1 / Swift.max(mse, 1e-12)),
                               codeUsage: usage / Double(s), perplexity: perplexity / Double(s), distinctCodes: codes.count)
    }
}
