import Autograd
import Foundation
import NeuralNetworks
import Tensors
import Training

/// Settings of `retrieve train`, with documented defaults (see `assets/configs/retrieve-generator.json`).
public struct GeneratorTrainingSettings: Codable, Sendable, Equatable {
    /// The decoder's shape; `vocabularySize` is overwritten by the tokenizer's. Default: GPT-2
    /// flavour, 4 layers of 256, context 128.
    public var decoder: DecoderConfiguration = {
        var configuration = DecoderConfiguration()
        configuration.contextLength = 128
        return configuration
    }()
    /// Optimisation steps. Default 3000.
    public var steps = 3000
    /// Examples per step. Default 32.
    public var batchSize = 32
    /// Peak learning rate. Default 1e-3.
    public var learningRate: Float = 1e-3
    /// Warm-up steps. Default 100.
    public var warmupSteps = 100
    /// Share of supervised (question) examples. Default 0.5.
    public var supervisedFraction = 0.5
    /// Temperature of the supervised span-start distribution, `exp(fuzzy match / t)` (SEAL's
    /// `--temperature` of make_supervised_dpr_dataset.py); lower values start more spans at
    /// the words a question shares with its passage. Default 1 (SEAL's default).
    public var spanTemperature = 1.0
    /// Share of unsupervised examples that are noisy-copy pairs (``TrainingPairs/copyFraction``):
    /// a passage span with words dropped -> a span starting at one of its words. SEAL starts
    /// from BART, whose denoising pretraining lets it copy query words; a generator trained from
    /// scratch learns that here. Default 0 (SEAL's pairs only).
    public var copyFraction = 0.0
    /// Share of unsupervised examples that are pseudo-questions (``TrainingPairs/pseudoQuestionFraction``):
    /// one passage sentence with its answer removed, words left out and a question word in
    /// front, trained like a real question. Drawn before the noisy-copy pairs. Default 0.
    public var pseudoQuestionFraction = 0.0
    /// Percentage of questions held out from training (by id hash). Default 20.
    public var heldOutPercent = 20
    /// Seed of initialisation and sampling. Default 0.
    public var seed: UInt64 = 0
    /// Store weights as fp16. Default true.
    public var halfPrecision = true

    /// The defaults documented on each field.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case decoder, steps, batchSize, learningRate, warmupSteps, supervisedFraction, spanTemperature, copyFraction, pseudoQuestionFraction, heldOutPercent,
             seed, halfPrecision
    }

    /// Decodes settings; every missing field takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = GeneratorTrainingSettings()
        self.decoder = try container.decodeIfPresent(DecoderConfiguration.self, forKey: .decoder) ?? defaults.decoder
        steps = try container.decodeIfPresent(Int.self, forKey: .steps) ?? defaults.steps
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        warmupSteps = try container.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? defaults.warmupSteps
        supervisedFraction = try container.decodeIfPresent(Double.self, forKey: .supervisedFraction) ?? defaults.supervisedFraction
        spanTemperature = try container.decodeIfPresent(Double.self, forKey: .spanTemperature) ?? defaults.spanTemperature
        copyFraction = try container.decodeIfPresent(Double.self, forKey: .copyFraction) ?? defaults.copyFraction
        pseudoQuestionFraction = try container.decodeIfPresent(Double.self, forKey: .pseudoQuestionFraction)
            ?? defaults.pseudoQuestionFraction
        heldOutPercent = try container.decodeIfPresent(Int.self, forKey: .heldOutPercent) ?? defaults.heldOutPercent
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        halfPrecision = try container.decodeIfPresent(Bool.self, forKey: .halfPrecision) ?? defaults.halfPrecision
    }
}

/// Trains the n-gram generator of an index and stores it in the index folder.
///
/// ```swift
/// let queries = try QueryFiles.readQueries(queriesURL)
/// let summary = try GeneratorTraining.train(index: index, queries: queries, qrels: nil,
///                                          settings: GeneratorTrainingSettings())
/// ```
public enum GeneratorTraining {
    /// What a run did.
    public struct Summary: Codable, Sendable {
        /// Steps completed (fewer than `settings.steps` when the run stopped early or hit its time limit).
        public var steps: Int
        /// Question-passage pairs trained on (one per gold passage of each non-held-out question).
        public var trainingQuestions: Int
        /// Held-out question-passage pairs, used for the validation loss.
        public var heldOutQuestions: Int
        /// Cross-entropy (nats per target token) of the last step; NaN when no step ran.
        public var finalTrainingLoss: Float
        /// The last validation loss measured (nats per target token); nil without held-out questions.
        public var finalValidationLoss: Float?
        /// Wall-clock duration of the call.
        public var seconds: Double
        /// Scalars in the generator.
        public var parameters: Int
    }

    /// Questions resolved to document indices; unknown passage ids are an error.
    public static func resolve(_ queries: [RetrievalQuery], qrels: [String: Set<String>]?, index: RetrievalIndex,
                               tokenizer: PassageTokenizer) throws -> [(id: String, question: TrainingPairs.Question)] {
        var documentByID: [String: Int] = [:]
        for (document, passage) in index.passages.enumerated() { documentByID[passage.id] = document }
        var result: [(String, TrainingPairs.Question)] = []
        for query in queries {
            let gold = qrels.map { Array($0[query.id] ?? []).sorted() } ?? query.passageIDs
            for passageID in gold {
                guard let document = documentByID[passageID] else {
                    throw RetrievalError.invalidSetting(field: "query \(query.id)", reason: "gold passage '\(passageID)' is not in the index")
                }
                result.append((query.id, TrainingPairs.Question(tokens: tokenizer.encode(query: query.text), document: document)))
            }
        }
        return result
    }

    /// Trains a generator (fresh, or continuing from `initialModel`, whose vocabulary must
    /// match the tokenizer's) and writes it atomically to `index.generatorDirectory`.
    ///
    /// Checkpoints go to the index's ``GeneratorTrainingRun`` folder every
    /// `run.checkpointEvery` steps. With `run.resume` and a complete checkpoint there, the
    /// run continues from it (same step counter, schedule and per-step randomness; the saved
    /// settings must match `settings` except `steps`, and `initialModel` is ignored);
    /// otherwise a new run replaces the folder's run (``TrainingRun``'s policy: `run.resume`
    /// without a checkpoint starts a new run with a note). Nothing is written before the
    /// questions are resolved against the index.
    public static func train(
        index: RetrievalIndex, queries: [RetrievalQuery], qrels: [String: Set<String>]?,
        settings requested: GeneratorTrainingSettings, initialModel: DecoderTransformer? = nil,
        run: GeneratorTrainingRun = GeneratorTrainingRun(), progress: ProgressReporter.Output? = nil
    ) throws -> Summary {
        let start = Date()
        let report = progress ?? ProgressReporter.standardError
        let runDirectory = GeneratorTrainingRun.directory(of: index)
        let trainingRun = TrainingRun(directory: runDirectory, resume: run.resume, note: report)
        let saved = try GeneratorTrainingRun.saved(in: trainingRun)
        if let saved { try GeneratorTrainingRun.checkCompatible(requested, saved: saved.settings, directory: runDirectory) }
        var settings = requested
        if let saved { settings = saved.settings; settings.steps = requested.steps }
        let tokenizer = index.tokenizer
        let split = try QuerySplit(heldOutPercent: settings.heldOutPercent)
        let resolved = try resolve(queries, qrels: qrels, index: index, tokenizer: tokenizer)
        let documents = try (0..<index.fmIndex.documentCount).map { try index.fmIndex.document($0) }
        let trainingQuestions = resolved.filter { !split.isHeldOut($0.id) }.map(\.question)
        let heldOut = resolved.filter { split.isHeldOut($0.id) }.map(\.question)
        var pairs = TrainingPairs(tokenizer: tokenizer, documents: documents, questions: trainingQuestions,
                                  spanTemperature: settings.spanTemperature)
        pairs.supervisedFraction = settings.supervisedFraction
        pairs.copyFraction = settings.copyFraction
        pairs.pseudoQuestionFraction = settings.pseudoQuestionFraction

        var configuration = saved?.model ?? settings.decoder
        configuration.vocabularySize = tokenizer.vocabularySize
        var initGenerator = SeededGenerator(seed: settings.seed)
        let model = try (saved == nil ? initialModel : nil) ?? DecoderTransformer(configuration: configuration, generator: &initGenerator)
        if model.configuration.vocabularySize != tokenizer.vocabularySize {
            throw RetrievalError.invalidSetting(
                field: "init-from",
                reason: "the model has \(model.configuration.vocabularySize) token ids, the tokenizer \(tokenizer.vocabularySize)")
        }
        let limit = model.configuration.contextLength

        var validation: [GeneratorExample] = []
        if !heldOut.isEmpty {
            var validationPairs = TrainingPairs(tokenizer: tokenizer, documents: documents, questions: heldOut,
                                                spanTemperature: settings.spanTemperature)
            validationPairs.supervisedFraction = 1
            var generator = SeededGenerator(seed: settings.seed &+ 7)
            validation = (0..<128).map { _ in validationPairs.sample(using: &generator) }
        }

        var training = TrainingConfiguration()
        training.steps = settings.steps
        training.learningRate = settings.learningRate
        training.minimumLearningRate = settings.learningRate / 10
        training.warmupSteps = min(settings.warmupSteps, max(settings.steps - 1, 0))
        training.checkpointInterval = run.checkpointEvery
        training.outputDirectory = runDirectory.path
        training.validationInterval = max(settings.steps / 10, 1)
        training.logInterval = max(settings.steps / 100, 1)
        training.minimumSecondsBetweenReports = 2
        training.seed = settings.seed
        training.weightDecay = 0.01
        training.timeLimit = run.timeLimit
        let trainer = try Trainer(parameters: try ParameterSet(model.parameters), configuration: training)
        if let progress { trainer.progressOutput = progress }
        // The questions resolved against the index: the run folder is written from here on.
        try trainingRun.begin(records: saved == nil ? try GeneratorTrainingRun.records(settings: settings, model: model.configuration) : [])
        try trainingRun.attach(trainer)
        do {
            try trainer.train(
                step: { step, _, generator in
                    if let stop = run.stopAfterStep, step >= stop { throw GeneratorTrainingRun.Stop() }
                    let batch = (0..<settings.batchSize).map { _ in pairs.sample(using: &generator) }
                    return try model.trainingStep(using: &generator) { try loss(model, batch, limit: limit, padding: tokenizer.endOfText) }
                },
                validate: validation.isEmpty ? nil : {
                    try loss(model, validation, limit: limit, padding: tokenizer.endOfText).loss.value.scalar
                })
        } catch is GeneratorTrainingRun.Stop {
            try trainer.saveCheckpoint()
            report("stopped at step \(trainer.completedSteps); checkpoint saved, continue with --resume")
        }
        let history = trainer.history
        try IndexFolder.replace(index.generatorDirectory) { staging in
            try model.save(to: staging, halfPrecision: settings.halfPrecision)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(settings).write(to: staging.appendingPathComponent("training.json"))
        }
        let summary = Summary(steps: trainer.completedSteps, trainingQuestions: trainingQuestions.count, heldOutQuestions: heldOut.count,
                              finalTrainingLoss: history.last?.trainingLoss ?? .nan,
                              finalValidationLoss: history.last(where: { $0.validationLoss != nil })?.validationLoss,
                              seconds: Date().timeIntervalSince(start), parameters: model.parameterCount)
        try trainingRun.writeSummary(summary)
        return summary
    }

    /// Mean cross-entropy over target tokens only (prompt positions and padding ignored).
    static func loss(_ model: DecoderTransformer, _ batch: [GeneratorExample], limit: Int, padding: Int) throws
        -> (loss: Variable, tokens: Int) {
        var sequences: [[Int]] = []
        var targetStarts: [Int] = []
        for example in batch {
            var prompt = example.prompt
            let room = limit + 1 - example.target.count
            if prompt.count > room { prompt = Array(prompt.suffix(max(room, 1))) }
            sequences.append(Array((prompt + example.target).prefix(limit + 1)))
            targetStarts.append(prompt.count)
        }
        let time = sequences.map { $0.count - 1 }.max()!
        var inputs: [[Int]] = []
        var targets: [Int] = []
        var tokens = 0
        for (sequence, targetStart) in zip(sequences, targetStarts) {
            let input = Array(sequence.dropLast())
            inputs.append(input + [Int](repeating: padding, count: time - input.count))
            for position in 0..<time {
                let predicted = position + 1
                if predicted >= targetStart && predicted < sequence.count {
                    targets.append(sequence[predicted])
                    tokens += 1
                } else {
                    targets.append(-100)
                }
            }
        }
        let logits = try model.logits(tokens: inputs)
        let loss = try logits.reshaped([-1, model.configuration.vocabularySize]).crossEntropy(targets: targets)
        return (loss, inputs.count * time)
    }
}
