import Foundation
import Testing
import TestSupport

/// `--draft-model` keeps the target's greedy output; `--quantize int8` runs and reports;
/// unsupported combinations are refused before any output.
struct InferenceOptionsTests {
    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func speculativeDecodingKeepsGreedyOutput(folder: String) throws {
        let model = try TestFixtures.url("\(folder)").path
        let greedy = try FixtureReference.load(folder).greedy
        // The other fixture has the same vocabulary size: a poor draft, which exercises rejections.
        let draft = try TestFixtures.url("\(folder == "gpt2-tiny" ? "llama-tiny" : "gpt2-tiny")").path
        let result = try ToolRunner.succeed(["lm", "generate", "--model", model, "--ids", greedy.input_ids.commaSeparated, "--greedy",
                                             "--max-new-tokens", "\(greedy.new_tokens.count)", "--draft-model", draft, "--lookahead", "3"])
        #expect(result.standardOutput == greedy.new_tokens.map(String.init).joined(separator: " ") + "\n")
        #expect(result.standardError.contains("accepted"))
    }

    @Test func int8QuantisationRunsAndReportsItsSize() throws {
        let model = try TestFixtures.url("llama-tiny").path
        let result = try ToolRunner.succeed(["lm", "generate", "--model", model, "--ids", "1,2,3", "--greedy", "--max-new-tokens", "5", "--quantize", "int8"])
        #expect(result.standardOutput.split(separator: " ").count == 5)
        #expect(result.standardError.contains("quantised to int8"))
    }

    @Test(arguments: ["skipdecode:1", "ffn:0.5"])
    func layerSkippingRuns(skip: String) throws {
        let model = try TestFixtures.url("llama-tiny").path
        let result = try ToolRunner.succeed(["lm", "generate", "--model", model, "--ids", "1,2,3", "--greedy", "--max-new-tokens", "6", "--skip", skip])
        #expect(result.standardOutput.split(separator: " ").count == 6)
    }

    @Test func unsupportedCombinationsAreRefused() throws {
        let model = try TestFixtures.url("gpt2-tiny").path
        let refused = try ToolRunner.run(["lm", "generate", "--model", model, "--ids", "1", "--top-k", "5", "--draft-model", model])
        #expect(refused.status != 0 && refused.standardOutput.isEmpty)
        #expect(refused.standardError.hasPrefix("error:") && refused.standardError.contains("--draft-model"))
        let badLookahead = try ToolRunner.run(["lm", "generate", "--model", model, "--ids", "1", "--greedy", "--draft-model", model, "--lookahead", "0"])
        #expect(badLookahead.status != 0 && badLookahead.standardError.contains("--lookahead"))
        for bad in ["skipdecode:0", "ffn:2", "layers"] {
            let refused = try ToolRunner.run(["lm", "generate", "--model", model, "--ids", "1", "--greedy", "--skip", bad])
            #expect(refused.status != 0 && refused.standardError.contains("--skip") && refused.standardOutput.isEmpty)
        }
        let badFormat = try ToolRunner.run(["lm", "generate", "--model", model, "--ids", "1", "--quantize", "int4"])
        #expect(badFormat.status != 0 && badFormat.standardError.hasPrefix("error:"))
    }
}
