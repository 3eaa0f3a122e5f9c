// Training as IconShop (Wu et al. 2023, section 3.2): next-token prediction over text then
// SVG tokens with the 7:1 SVG/text loss weighting, plus fill-in-the-middle sequences
// (section 3.3), on the project's Trainer (AdamW, cosine schedule, checkpoints, resume).

import Autograd
import Foundation
import NeuralNetworks
import Tensors
import Training

/// Everything `icons train` needs besides the dataset.
public struct IconTrainingOptions: Sendable {
    /// The model's shape; `vocabularySize` is replaced by the tokenizer's.
    public var model = DecoderConfiguration()
    /// Steps, optimiser, schedule, checkpoints and the output directory.
    public var training = TrainingConfiguration()
    /// Sequences per micro-batch.
    public var batchSize = 16
    /// Length bucketing: each step draws `batchSize * bucketPool` icons at random, sorts them
    /// by length and trains on one randomly chosen run of `batchSize` neighbours, so a batch
    /// is padded to about its own length instead of the longest of random icons (about twice
    /// the tokens per second on the default set). Every icon keeps the same chance of being
    /// drawn. 1 turns it off (plain random batches).
    public var bucketPool = 8
    /// Share of training sequences prompted with a random subset of the icon's keywords
    /// (``IconSequenceBuilder/keywordSubsetRate``; 0: always all keywords). The
    /// validation loss always uses all keywords, so it stays comparable across settings.
    public var keywordSubsetRate = 0.5
    /// Geometric augmentation strength (``IconSequenceBuilder/augmentation``; 0: none).
    public var augmentation = 0.0
    /// Start from the weights of this model folder (a fine-tune: new optimiser state and
    /// schedule) instead of a random initialisation; its shape replaces `model` (all but
    /// `model.dropout`). Ignored when
    /// resuming from a checkpoint. Its tokenizer must be the dataset's.
    public var initialModel: URL?
    /// Resume from `<outputDirectory>/checkpoint` when it exists (``TrainingRun``'s policy:
    /// without a checkpoint, a new run starts with a note).
    public var resume = false
    /// Store the exported model in fp16.
    public var halfPrecision = true
    /// The defaults of every field.
    public init() {}
}

/// Trains an ``IconModel`` on an ``IconDataset`` and exports it to `<outputDirectory>/model`.
///
/// The output directory is a ``TrainingRun`` folder: `icon-model-config.json` and
/// `icon-data-settings.json` (the records `--resume` continues with), `checkpoint/`,
/// `metrics.jsonl`, `training-summary.json`, and `model/`. Nothing is written before the
/// dataset is known to hold icons that fit the context.
///
/// ```swift
/// var options = IconTrainingOptions()
/// options.training.steps = 2000
/// options.training.outputDirectory = "runs/icons"
/// let summary = try IconTrainingRun(dataset: dataset, options: options).run()
/// ```
public struct IconTrainingRun {
    /// The icons to train on; its held-out split gives the validation loss.
    public let dataset: IconDataset
    /// Model shape, training settings and run controls.
    public let options: IconTrainingOptions

    /// What a run did.
    public struct Summary: Codable, Sendable {
        /// Optimiser steps completed (including any before a resume).
        public var completedSteps: Int
        /// Icons in the training split that fit the context.
        public var trainingIcons: Int
        /// Held-out icons that fit the context.
        public var validationIcons: Int
        /// Icons skipped because their longest training sequence exceeds the context.
        public var skippedTooLong: Int
        /// Parameters of the model.
        public var parameterCount: Int
        /// The training loss of the last step, if any.
        public var finalTrainingLoss: Float?
        /// The most recent validation loss, if any.
        public var finalValidationLoss: Float?
        /// Wall time of the run.
        public var seconds: Double
        /// Whether the training configuration's `timeLimit` stopped the run early.
        public var stoppedByTimeLimit: Bool
        /// Where the exported model folder was written.
        public var modelDirectory: String
    }

    /// A run of `options` on `dataset`.
    public init(dataset: IconDataset, options: IconTrainingOptions) {
        self.dataset = dataset
        self.options = options
    }

    static let modelConfigurationFileName = "icon-model-config.json"
    /// How the run draws its training sequences, saved beside the model configuration so that
    /// `--resume` continues with the same data (those of the options when the file is absent,
    /// as in runs made before it).
    static let dataSettingsFileName = "icon-data-settings.json"

    /// The options that decide what a training batch holds.
    struct DataSettings: Codable, Equatable {
        var batchSize: Int
        var bucketPool: Int
        var keywordSubsetRate: Double
        var augmentation: Double
    }

    /// Trains (or resumes), then exports the model to `<outputDirectory>/model`.
    ///
    /// - Parameter progress: receives progress lines (default: standard error).
    /// - Throws: ``IconError/invalidArgument(name:detail:)`` when no icon fits the context;
    ///   configuration, checkpoint and file errors.
    public func run(progress: @escaping (String) -> Void = ProgressReporter.standardError) throws -> Summary {
        let start = Date()
        let tokenizer = dataset.tokenizer
        let output = URL(fileURLWithPath: options.training.outputDirectory, isDirectory: true)
        let trainingRun = TrainingRun(directory: output, resume: options.resume, note: progress)
        var configuration = options.model
        configuration.vocabularySize = tokenizer.vocabularySize
        let resuming = trainingRun.isResuming
        if resuming {
            // The saved shape wins: resuming with other size flags would not load.
            guard let saved = try trainingRun.recorded(DecoderConfiguration.self, from: Self.modelConfigurationFileName) else {
                throw IconError.invalidArgument(name: "--resume", detail: "\(output.appendingPathComponent(Self.modelConfigurationFileName).path) is missing")
            }
            configuration = saved
            if configuration.dropout != options.model.dropout {
                progress("resuming with the run's dropout \(configuration.dropout), not \(options.model.dropout)")
            }
        }
        try configuration.validate()
        let model: IconModel
        if !resuming, let initialDirectory = options.initialModel {
            // Its weights and shape, with this run's dropout (a training setting, not the shape).
            let initial = try IconModel.load(from: initialDirectory) { $0.dropout = options.model.dropout }
            guard initial.tokenizer.gridSize == tokenizer.gridSize, initial.tokenizer.words == tokenizer.words else {
                throw IconError.invalidArgument(
                    name: "--init-from",
                    detail: "the model's vocabulary (grid \(initial.tokenizer.gridSize), \(initial.tokenizer.words.count) words) is not the dataset's (grid \(tokenizer.gridSize), \(tokenizer.words.count) words)")
            }
            model = initial
            configuration = initial.transformer.configuration
        } else {
            model = try IconModel(configuration: configuration, tokenizer: tokenizer, seed: options.training.seed)
        }
        // The run's data settings win on resume (those of the options when the file is absent).
        let data = try trainingRun.settle(
            DataSettings(batchSize: options.batchSize, bucketPool: options.bucketPool,
                         keywordSubsetRate: options.keywordSubsetRate, augmentation: options.augmentation),
            recordedIn: Self.dataSettingsFileName
        ) { saved in
            "resuming with the run's batch \(saved.batchSize), bucket pool \(saved.bucketPool), keyword subsets \(saved.keywordSubsetRate), augmentation \(saved.augmentation), not the options given"
        }

        let limit = configuration.contextLength
        var trainIndices: [Int] = [], validationIndices: [Int] = []
        var tooLong = 0
        for i in dataset.entries.indices {
            // Longest form: BOS + words + SEP + SVG + MASK, MASK, EOM; inputs drop the last token.
            guard dataset.entries[i].tokens.count + IconSequenceBuilder(tokenizer: tokenizer).maximumWords + 5 - 1 <= limit else {
                tooLong += 1
                continue
            }
            if dataset.isHeldOut(i) { validationIndices.append(i) } else { trainIndices.append(i) }
        }
        guard !trainIndices.isEmpty else {
            throw IconError.invalidArgument(name: "--context", detail: "no icon fits a context of \(limit) tokens")
        }
        progress("training on \(trainIndices.count) icons (\(validationIndices.count) held out, \(tooLong) longer than the context), \(model.transformer.parameterCount) parameters")

        let trainer = try Trainer(parameters: try ParameterSet(model.transformer.parameters), configuration: options.training)
        trainer.progressOutput = progress
        // The icons are known to fit: the run folder is written from here on.
        try trainingRun.begin(records: [try .init(Self.modelConfigurationFileName, encoding: model.transformer.configuration),
                                        try .init(Self.dataSettingsFileName, encoding: data)])
        try trainingRun.attach(trainer)
        var builder = IconSequenceBuilder(tokenizer: tokenizer)
        builder.keywordSubsetRate = data.keywordSubsetRate
        builder.augmentation = data.augmentation
        var validationBuilder = builder
        validationBuilder.keywordSubsetRate = 0
        validationBuilder.augmentation = 0
        let transformer = model.transformer
        let batchSize = data.batchSize
        func loss(_ batch: (inputs: [[Int]], targets: [Int], weights: [Float])) throws -> Variable {
            let logits = try transformer.logits(tokens: batch.inputs)   // [B, T, V]
            return try logits.reshaped([-1, tokenizer.vocabularySize]).crossEntropy(targets: batch.targets, weights: batch.weights)
        }
        var validationGenerator = SeededGenerator(seed: 7)
        let validationSequences = validationIndices.prefix(64).map { validationBuilder.sequence(for: dataset.entries[$0], using: &validationGenerator) }
        try trainer.train(
            step: { _, _, generator in
                let sequences = builder.randomBatch(from: dataset.entries, indices: trainIndices, batchSize: batchSize,
                                                    bucketPool: data.bucketPool, using: &generator)
                let batch = IconSequenceBuilder.batch(sequences)
                return (try transformer.trainingStep(using: &generator) { try loss(batch) }, batch.targets.filter { $0 >= 0 }.count)
            },
            validate: validationSequences.isEmpty ? nil : {
                var total: Float = 0
                var chunks = 0
                for start in stride(from: 0, to: validationSequences.count, by: batchSize) {
                    let chunk = Array(validationSequences[start..<min(start + batchSize, validationSequences.count)])
                    total += try loss(IconSequenceBuilder.batch(chunk)).value.scalar
                    chunks += 1
                }
                return total / Float(chunks)
            })
        let modelDirectory = output.appendingPathComponent("model")
        try model.save(to: modelDirectory, halfPrecision: options.halfPrecision)
        let lastValidation = trainer.history.last { $0.validationLoss != nil }?.validationLoss
        let summary = Summary(
            completedSteps: trainer.completedSteps, trainingIcons: trainIndices.count, validationIcons: validationIndices.count,
            skippedTooLong: tooLong, parameterCount: transformer.parameterCount, finalTrainingLoss: trainer.history.last?.trainingLoss,
            finalValidationLoss: lastValidation, seconds: Date().timeIntervalSince(start), stoppedByTimeLimit: trainer.stoppedByTimeLimit,
            modelDirectory: modelDirectory.path)
        try trainingRun.writeSummary(summary)
        return summary
    }
}
