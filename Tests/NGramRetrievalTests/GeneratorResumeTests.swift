import Foundation
import NGramRetrieval
import NeuralNetworks
import Testing

/// `retrieve train --resume`: a run stopped after its checkpoint and resumed ends with the
/// same generator as an uninterrupted run, and a resume with other settings is refused.
struct GeneratorResumeTests {
    /// Progress lines of one run (training runs on the calling thread).
    final class Lines { var all: [String] = [] }

    static let queries = [
        RetrievalQuery(id: "q0", text: "Who won Super Bowl 50?", passageIDs: ["p0"]),
        RetrievalQuery(id: "q1", text: "What is the capital of Poland?", passageIDs: ["p2"]),
        RetrievalQuery(id: "q2", text: "Who improved the steam engine?", passageIDs: ["p11"]),
    ]

    /// A tiny run: 1 layer of 16, batches of 2, fp32 so weights compare exactly.
    static func settings(steps: Int) -> GeneratorTrainingSettings {
        var settings = GeneratorTrainingSettings()
        settings.decoder.hiddenSize = 16
        settings.decoder.layerCount = 1
        settings.decoder.headCount = 2
        settings.decoder.contextLength = 48
        settings.steps = steps
        settings.batchSize = 2
        settings.warmupSteps = 1
        settings.heldOutPercent = 0
        settings.seed = 4
        settings.halfPrecision = false
        return settings
    }

    static func index(in folder: URL, _ name: String) throws -> RetrievalIndex {
        try RetrievalIndex(passages: TinyCorpus.passages, tokenizer: TinyCorpus.tokenizer, directory: folder.appendingPathComponent(name))
    }

    static func train(_ index: RetrievalIndex, steps: Int = 6, resume: Bool, stopAfter: Int? = nil, lines: Lines? = nil,
                      settings: GeneratorTrainingSettings? = nil) throws -> GeneratorTraining.Summary {
        try GeneratorTraining.train(
            index: index, queries: queries, qrels: nil, settings: settings ?? Self.settings(steps: steps),
            run: GeneratorTrainingRun(checkpointEvery: 2, resume: resume, stopAfterStep: stopAfter),
            progress: { line in lines?.all.append(line) })
    }

    @Test func resumedRunEndsWithTheUninterruptedWeights() throws {
        try TinyCorpus.withTemporaryDirectory("resume") { folder in
            let whole = try Self.index(in: folder, "whole"), split = try Self.index(in: folder, "split")
            let uninterrupted = try Self.train(whole, resume: false)
            // Stopped after step 3 (checkpoints at 2 and on stopping), then resumed.
            let stopped = try Self.train(split, resume: false, stopAfter: 3)
            #expect(stopped.steps == 3)
            let checkpoint = GeneratorTrainingRun.directory(of: split).appendingPathComponent("checkpoint/trainer.json")
            #expect(FileManager.default.fileExists(atPath: checkpoint.path))
            let lines = Lines()
            let resumed = try Self.train(split, resume: true, lines: lines)
            #expect(resumed.steps == 6)
            let log = lines.all
            #expect(log.contains { $0.hasPrefix("resumed from ") && $0.hasSuffix(" at step 3") }, "\(log)")
            #expect(resumed.finalTrainingLoss == uninterrupted.finalTrainingLoss)

            let a = try DecoderTransformer.load(from: whole.generatorDirectory)
            let b = try DecoderTransformer.load(from: split.generatorDirectory)
            for ((name, x), (_, y)) in zip(a.namedParameters(), b.namedParameters()) {
                #expect(x.value.scalars == y.value.scalars, "\(name)")
            }
            // Without resume a new run starts from step 0 again: it repeats the stopped session.
            let restarted = try Self.train(split, resume: false, stopAfter: 3)
            #expect(restarted.steps == 3 && restarted.finalTrainingLoss == stopped.finalTrainingLoss)
        }
    }

    @Test func resumeRefusesOtherSettingsAndStartsFreshWithoutACheckpoint() throws {
        try TinyCorpus.withTemporaryDirectory("resume-settings") { folder in
            let index = try Self.index(in: folder, "index")
            let lines = Lines()
            // No checkpoint yet: --resume starts a new run and says so.
            _ = try Self.train(index, steps: 2, resume: true, lines: lines)
            #expect(lines.all.contains { $0.contains("no checkpoint") })
            var other = Self.settings(steps: 4)
            other.seed = 9
            #expect {
                try Self.train(index, steps: 4, resume: true, settings: other)
            } throws: { error in
                "\(error)".contains("seed") || (error as? LocalizedError)?.errorDescription?.contains("seed") == true
            }
        }
    }
}
