import ArgumentParser
import Commands
import Foundation
import NGramRetrieval
import NeuralNetworks

/// `retrieve train --index DIR --queries Q.jsonl`
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the index's n-gram generator on SEAL's pairs (question -> title/spans, span -> span/title).")

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
    @Option(name: .long, help: "Write a checkpoint to <index>/training-run/checkpoint every N steps (and after the last); 0: only after the last.")
    var checkpointEvery = 100
    @Option(name: .long, help: "Stop after this many minutes of training, between steps, with a checkpoint; continue with --resume.")
    var maxMinutes: Double?
    @Flag(name: .long, help: ArgumentHelp(
        "Continue the run in <index>/training-run from its last complete checkpoint (same step count, schedule and randomness).",
        discussion: "The run's saved settings are used; only --steps may differ (e.g. to extend the run). --init-from is ignored when a checkpoint exists. Without a checkpoint a new run starts; without --resume a new run replaces the old checkpoint."))
    var resume = false
    @Flag(name: .long, help: "Print a JSON summary on stdout.")
    var json = false
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
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every must be >= 0, got \(checkpointEvery)") }
        if let maxMinutes, !(maxMinutes > 0 && maxMinutes.isFinite) { throw ValidationError("--max-minutes must be positive, got \(maxMinutes)") }
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
                                                  run: GeneratorTrainingRun(checkpointEvery: checkpointEvery, resume: resume,
                                                                            timeLimit: maxMinutes.map { $0 * 60 }))
        try plot.write(metrics: GeneratorTrainingRun.directory(of: index).appendingPathComponent("metrics.jsonl"))
        if json {
            let data = try JSONEncoder().encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("trained \(summary.parameters) parameters for \(summary.steps) steps in \(String(format: "%.0f", summary.seconds)) s: "
                + "loss \(summary.finalTrainingLoss), held-out loss \(summary.finalValidationLoss.map { "\($0)" } ?? "n/a") "
                + "(\(summary.trainingQuestions) training / \(summary.heldOutQuestions) held-out questions)")
        }
    }
}
