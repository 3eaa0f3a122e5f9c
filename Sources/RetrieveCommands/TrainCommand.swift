import ArgumentParser
import Commands
import Foundation
import NGramRetrieval
import NeuralNetworks

/// `retrieve train --index DIR --queries Q.jsonl`
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the index's n-gram generator on SEAL's pairs (question -> title/spans, span -> span/title).",
        discussion: "The run folder is <index>/training-run. With --resume the run's saved settings are used; only --steps may differ (e.g. to extend the run). --init-from is ignored when a checkpoint exists. Without --resume a new run replaces the old checkpoint.")

    @OptionGroup var location: IndexLocation
    @Option(name: .long, help: "Training questions, JSONL {\"_id\",\"text\"[,\"passage_id\"]}; omit for unsupervised pairs only.")
    var queries: String?
    @Option(name: .long, help: "BEIR qrels TSV giving each question's gold passages (default: the queries' passage_id).")
    var qrels: String?
    @Option(name: .long, help: "JSON file of GeneratorTrainingSettings (any subset of fields).")
    var config: String?
    @Option(name: .long, help: "Optimisation steps (overrides the config).")
    var steps: Int?
    @Option(name: .long, help: "Examples per step, at most 4096 (overrides the config).")
    var batchSize: Int?
    @Option(name: .long, help: "Percentage of questions held out by id hash (overrides the config).")
    var heldOutPercent: Int?
    @Option(name: .long, help: "Random seed (overrides the config).")
    var seed: UInt64?
    @Option(name: .long, help: "Continue training from this generator folder (config.json + model.safetensors) instead of a fresh model.")
    var initFrom: String?
    /// `--resume`, `--max-minutes` and `--checkpoint-every` (default 100), for the run folder
    /// <index>/training-run.
    @OptionGroup var runOptions: RunOptions
    /// `--json`: the training summary.
    @OptionGroup var format: JSONOption
    @OptionGroup var plot: PlotOption

    func run() async throws {
        let directory = try location.resolved()
        var settings = GeneratorTrainingSettings()
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else {
                throw ValidationError("\(config): cannot read the config file")
            }
            do { settings = try JSONDecoder().decode(GeneratorTrainingSettings.self, from: data) } catch {
                throw ValidationError("\(config): \(error)")
            }
        }
        if let steps { settings.steps = steps }
        if let batchSize { settings.batchSize = batchSize }
        if let heldOutPercent { settings.heldOutPercent = heldOutPercent }
        if let seed { settings.seed = seed }
        guard settings.steps >= 1, settings.batchSize >= 1 else { throw ValidationError("steps and batch size must be >= 1") }
        guard settings.batchSize <= 4096 else { throw ValidationError("--batch-size must be in 1...4096, got \(settings.batchSize)") }
        let index = try RetrievalIndex(directory: directory)
        let questions = try queries.map { try QueryFiles.readQueries(URL(fileURLWithPath: $0)) } ?? []
        let relevance = try qrels.map { try QueryFiles.readQrels(URL(fileURLWithPath: $0)) }
        let initial = try initFrom.map { path in
            // Its weights and shape, with this run's dropout (a training setting, not the shape).
            do { return try DecoderTransformer.load(from: URL(fileURLWithPath: path)) { $0.dropout = settings.decoder.dropout } } catch {
                throw ValidationError("\(path): cannot load a generator: \(error)")
            }
        }
        printError("training the generator of \(directory.path) on \(questions.count) questions, \(settings.steps) steps")
        let summary = try GeneratorTraining.train(index: index, queries: questions, qrels: relevance, settings: settings,
                                                  initialModel: initial,
                                                  run: GeneratorTrainingRun(checkpointEvery: runOptions.checkpointEvery ?? 100, resume: runOptions.resume,
                                                                            timeLimit: runOptions.timeLimit))
        try plot.write(metrics: GeneratorTrainingRun.directory(of: index).appendingPathComponent("metrics.jsonl"))
        if format.json {
            let data = try JSONEncoder().encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("trained \(summary.parameters) parameters for \(summary.steps) steps in \(String(format: "%.0f", summary.seconds)) s: "
                + "loss \(summary.finalTrainingLoss), held-out loss \(summary.finalValidationLoss.map { "\($0)" } ?? "n/a") "
                + "(\(summary.trainingQuestions) training / \(summary.heldOutQuestions) held-out questions)")
        }
    }
}
