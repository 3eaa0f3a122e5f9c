import ArgumentParser
import Autograd
import Commands
import Foundation
import NeuralNetworks
import Tensors
import Tokenizers
import Training

/// `nexttoken lm train --data FILE -o DIR`: trains a small language model on a text file and
/// writes a NextToken checkpoint folder that `nexttoken lm generate --model DIR` runs.
///
/// The output folder is a `TrainingRun` folder: `config.json` + `model.safetensors` (the
/// model, written at the end), the tokenizer files, `training.json` (what `--resume` needs),
/// `checkpoint/` (weights, optimiser state and history, every `--checkpoint-every` steps),
/// `metrics.jsonl` (one row per step; `--plot` or `nexttoken lm plot` draws it) and
/// `training-summary.json`.
///
/// ```sh
/// nexttoken lm train --data input.txt -o runs/shakespeare --steps 2000 --context 128 --layers 4 --hidden-size 192 --heads 6
/// nexttoken lm train --data input.txt -o runs/shakespeare --steps 4000 --resume
/// nexttoken lm generate --model runs/shakespeare "ROMEO:"
/// ```
public struct TrainCommand: ParsableCommand {
    /// `train`, with its abstract and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a small language model on a text file.",
        discussion: """
            The last --validation-fraction of the text is held out for the validation loss. \
            Progress (step, loss, tokens/s, ETA) goes to stderr; a summary (or, with --json, \
            the loss history) to stdout. With --resume, the model shape, tokenizer, context and \
            batch size come from the run in the output folder, and --steps may be raised; \
            without a checkpoint, --resume starts a new run (with a note).
            """)

    @Option(name: .customLong("data"), help: ArgumentHelp("The training text (UTF-8; required).", valueName: "file"))
    var data: String?

    @Option(help: "Tokenizer built from the text: char (one token per character) or bpe (byte-level BPE, see --vocabulary-size).")
    public var tokenizer: LanguageModelRun.TokenizerKind = .character

    @Option(name: .customLong("vocabulary-size"), help: "Vocabulary size of a bpe tokenizer (257...1048576).")
    public var vocab: Int = 1024

    /// The older spellings `--text` and `--vocab` (see ``OptionAlias``).
    @Option(name: .customLong("text"), help: .hidden) var textAlias: String?
    @Option(name: .customLong("vocab"), help: .hidden) var vocabAlias: Int?

    /// The training text file (`--data`).
    public var text: String { data ?? "" }

    @Option(help: "Share of the text, taken from its end, held out for validation (0 disables).")
    public var validationFraction: Double = 0.1

    @Option(help: ArgumentHelp("After training, train N multi-token prediction heads on the frozen model (for `lm generate --multi-token`).",
                               valueName: "N"))
    public var multiToken: Int?

    @Option(help: ArgumentHelp("Training steps of the multi-token heads.", valueName: "steps"))
    public var multiTokenSteps = 200

    @Option(help: ArgumentHelp("Fine-tune this model folder (Hugging Face GPT-2/LLaMA or a NextToken checkpoint, with its tokenizer) instead of training a new model; its shape and tokenizer replace the shape and tokenizer options.",
                               valueName: "dir"))
    public var initFrom: String?

    @Option(help: ArgumentHelp("With --init-from: train LoRA adapters of this rank on every linear layer instead of every weight; they are merged into the saved model.",
                               valueName: "rank"))
    public var loraRank: Int?

    @Option(help: ArgumentHelp("With --lora-rank: the adapters' alpha (updates scaled by alpha / rank; default: the rank).", valueName: "alpha"))
    public var loraAlpha: Float?

    /// `--config` and the flags that override it.
    @OptionGroup public var shape: ModelShapeOptions
    /// Steps, learning rate, batch, intervals, `--resume` and `--output`.
    @OptionGroup public var training: TrainingOptions
    /// `--seed`.
    @OptionGroup public var seed: SeedOption
    /// `--json`.
    @OptionGroup public var output: JSONOption
    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption
    /// `--plot`.
    @OptionGroup public var plot: PlotOption

    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}

    /// Takes the older spellings' values, then checks that `--data` is a readable file,
    /// `--validation-fraction` is in [0, 1) and a BPE `--vocabulary-size` is at least 257.
    public mutating func validate() throws {
        try OptionAlias.merge(&self, \.data, alias: \.textAlias, current: "--data", old: "--text")
        OptionAlias.merge(&self, \.vocab, alias: \.vocabAlias)
        guard let data else { throw ValidationError("Missing expected argument '--data <file>'") }
        do { try CommandFailure.requireFile(URL(fileURLWithPath: data), option: "--data") } catch let failure as CommandFailure {
            throw ValidationError(failure.description)
        }
        guard validationFraction >= 0, validationFraction < 1 else {
            throw ValidationError("--validation-fraction: must be in [0, 1), got \(validationFraction)")
        }
        try validateFineTuning()
        if let multiToken, multiToken < 1 { throw ValidationError("--multi-token: must be >= 1, got \(multiToken)") }
        if multiTokenSteps < 1 { throw ValidationError("--multi-token-steps: must be >= 1, got \(multiTokenSteps)") }
        if let multiToken, let context = training.context, context < multiToken + 2 {
            throw ValidationError("--multi-token \(multiToken): needs --context of at least \(multiToken + 2)")
        }
        if tokenizer == .bpe, !(257...(1 << 20)).contains(vocab) {
            throw ValidationError("--vocabulary-size: must be in 257...1048576 (256 bytes + <|endoftext|> at least), got \(vocab)")
        }
    }

    /// Trains (or resumes) the run in `--output`, then writes the model and prints a summary.
    ///
    /// The run folder follows `TrainingRun`'s policy, except that a folder holding a run is
    /// refused without `--resume` (it holds the user's model). Nothing is written until the
    /// text is read, tokenized and long enough for the context.
    public func run() throws {
        threads.apply()
        let outputURL = training.outputURL
        let trainingRun = TrainingRun(directory: outputURL, resume: training.run.resume, note: Console.progress)
        if !training.run.resume, trainingRun.holdsRun(records: [LanguageModelRun.fileName]) {
            throw CommandFailure("--output \(training.output): already holds a training run; pass --resume to continue it or choose another folder")
        }
        let corpus = try readText()

        let (run, tokenizer) = trainingRun.isResuming ? try resumedRun() : try newRun(corpus: corpus)
        let tokens = try Console.timed("encoded \(text)") { try tokenizer.encode(corpus) }
        let data = try TextDataset(tokens: tokens, validationFraction: run.validationFraction, context: run.context, source: text)
        Console.progress("\(tokens.count) tokens: \(data.training.count) training, \(data.validation.count) validation; vocabulary \(tokenizer.vocabularySize)")

        var generator = SeededGenerator(seed: seed.seed)
        let model = try run.makeModel(generator: &generator, seed: seed.seed)
        let trainer = try Trainer(parameters: try ParameterSet(run.trainedParameters(of: model)), configuration: try training.configuration(seed: seed.seed))
        // Recorded before the first step so that an interrupted run can be resumed.
        try trainingRun.begin(records: trainingRun.isResuming ? [] : [try .init(LanguageModelRun.fileName, encoding: run)])
        if !trainingRun.isResuming {
            try AtomicWrite.files(into: outputURL, last: "") { staging in try TokenizerFolder.save(tokenizer, to: staging) }
        }
        try trainingRun.attach(trainer)
        Console.progress("model: \(run.decoder.flavor.rawValue), \(run.decoder.layerCount) layers of \(run.decoder.hiddenSize), \(model.parameterCount) parameters")

        let vocabulary = run.decoder.vocabularySize
        let history = try trainer.train(
            step: { _, _, generator in
                let batch = data.trainingBatch(size: run.batchSize, using: &generator)
                let loss = try model.trainingStep(using: &generator) {
                    try model.logits(tokens: batch.inputs).reshaped([-1, vocabulary]).crossEntropy(targets: batch.targets)   // [B*T, V]
                }
                return (loss, batch.targets.count)
            },
            validate: data.validation.isEmpty ? nil : {
                var total: Float = 0
                var count = 0
                for batch in data.validationBatches(size: run.batchSize) {
                    let logits = try model.logits(tokens: batch.inputs)
                    total += try logits.reshaped([-1, vocabulary]).crossEntropy(targets: batch.targets).value.scalar * Float(batch.targets.count)
                    count += batch.targets.count
                }
                return total / Float(max(count, 1))
            })

        try run.mergeAdapters(into: model)
        try AtomicWrite.files(into: outputURL, last: "config.json") { staging in
            try model.save(to: staging, extraConfiguration: ["tokenizer": run.tokenizer.rawValue])
        }
        try trainMultiTokenHeads(model: model, data: data, batchSize: run.batchSize)
        let summary = LanguageModelRun.Summary(history: history, parameters: model.parameterCount,
                                               trainingTokens: data.training.count, validationTokens: data.validation.count)
        try trainingRun.writeSummary(summary)
        try plot.write(metrics: trainingRun.metricsURL)
        try report(history: history, summary: summary)
    }

    private func readText() throws -> String {
        let url = URL(fileURLWithPath: text)
        let bytes = try Data(contentsOf: url)
        guard let corpus = String(data: bytes, encoding: .utf8) else { throw CommandFailure("--data \(text): is not UTF-8 text") }
        guard !corpus.isEmpty else { throw CommandFailure("--data \(text): is empty") }
        return corpus
    }

    /// The shape and tokenizer of a fresh run: the tokenizer is built from the text.
    private func newRun(corpus: String) throws -> (LanguageModelRun, any Tokenizer) {
        if let initFrom { return try fineTuningRun(from: initFrom) }
        let built: any Tokenizer
        switch tokenizer {
        case .character:
            built = try CharacterTokenizer(corpus: [corpus])
        case .bpe:
            built = try Console.timed("trained a BPE tokenizer of \(vocab) tokens", threshold: 0) {
                try BytePairTrainer(vocabularySize: vocab, specialTokens: BytePairTokenizer.defaultSpecialTokens).train(on: [corpus])
            }
        }
        var decoder = try shape.configuration()
        decoder.vocabularySize = built.vocabularySize
        if let context = training.context { decoder.contextLength = context }
        try decoder.validate()
        let run = LanguageModelRun(decoder: decoder, tokenizer: tokenizer, context: training.context ?? decoder.contextLength,
                                   batchSize: training.batchSize ?? 16, validationFraction: validationFraction)
        return (run, built)
    }

    /// The shape and tokenizer recorded by the run being resumed; a note says when the
    /// options given would build another run.
    private func resumedRun() throws -> (LanguageModelRun, any Tokenizer) {
        let run = try LanguageModelRun.read(from: training.outputURL)
        guard let stored = try TokenizerFolder.load(from: training.outputURL) else {
            throw CommandFailure("--resume: \(training.output) has no tokenizer files (\(TokenizerFolder.expectedFiles))")
        }
        if var decoder = try? shape.configuration() {
            decoder.vocabularySize = run.decoder.vocabularySize
            if let context = training.context { decoder.contextLength = context }
            let given = LanguageModelRun(decoder: decoder, tokenizer: tokenizer, context: training.context ?? decoder.contextLength,
                                         batchSize: training.batchSize ?? 16, validationFraction: validationFraction)
            if given != run {
                Console.progress("--resume: continuing with the run's model shape, tokenizer, context, batch size and validation fraction (\(LanguageModelRun.fileName)), not the options given")
            }
        }
        return (run, stored)
    }

    private func report(history: [TrainingRecord], summary: LanguageModelRun.Summary) throws {
        if output.json {
            let records: [[String: Any]] = history.map { record in
                var entry: [String: Any] = ["step": record.step, "loss": Double(record.trainingLoss),
                                            "learning_rate": Double(record.learningRate), "tokens": record.tokens]
                if let loss = record.validationLoss { entry["validation_loss"] = Double(loss) }
                return entry
            }
            var object: [String: Any] = [
                "output": training.outputURL.path, "steps": summary.steps, "parameters": summary.parameters,
                "training_tokens": summary.trainingTokens, "validation_tokens": summary.validationTokens, "history": records,
            ]
            if let validation = summary.validationLoss { object["validation_loss"] = Double(validation) }
            let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            Console.printLine(String(decoding: json, as: UTF8.self))
        } else {
            let loss = summary.loss.map { String(format: "%.4f", $0) } ?? "-"
            let validationText = summary.validationLoss.map { String(format: "%.4f", $0) } ?? "-"
            Console.printLine("wrote \(training.outputURL.path): step \(summary.steps), loss \(loss), validation loss \(validationText), \(summary.parameters) parameters")
        }
    }
}

extension LanguageModelRun.TokenizerKind: ExpressibleByArgument {}
