import ArgumentParser
import Commands
import Foundation
import Generation
import NeuralNetworks
import Tokenizers

/// `nexttoken lm generate --model DIR "prompt"`: continues a prompt with any GPT-2/LLaMA
/// folder or NextToken checkpoint, streaming the new text (or token ids) to stdout as it is
/// generated.
///
/// ```sh
/// nexttoken lm generate --model runs/shakespeare "ROMEO:" --temperature 0.8 --top-k 40 --seed 1
/// nexttoken lm generate --model Tests/Fixtures/gpt2-tiny --ids 171,806,365 --greedy --max-new-tokens 20
/// ```
public struct GenerateCommand: ParsableCommand {
    /// `generate`, with its abstract and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with a language model, streaming tokens to stdout.",
        discussion: """
            Prints only the continuation. With a tokenizer, text is streamed; with --ids, the \
            new token ids are printed separated by spaces. Generation stops at the tokenizer's \
            end-of-text token, at --stop-token ids, or after --max-new-tokens. \
            --json prints one JSON object at the end instead.
            """)

    /// `--model` and `--tokenizer`.
    @OptionGroup public var model: ModelOptions
    /// The prompt text or `--ids`.
    @OptionGroup public var prompt: PromptOptions
    /// Sampling, beam search and stopping.
    @OptionGroup public var sampling: SamplingOptions
    /// `--quantize`, `--draft-model`/`--lookahead` and `--skip`.
    @OptionGroup public var inference: InferenceOptions
    /// `--seed`.
    @OptionGroup public var seed: SeedOption
    /// `--json`.
    @OptionGroup public var output: JSONOption
    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    @Flag(help: "Greedy decoding with the model folder's multi-token heads (from `lm train --multi-token N`): the same output, fewer model passes.")
    public var multiToken = false

    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}

    /// Rejects `--multi-token` without `--greedy` or with another decoder, and `--draft-model`
    /// with beam search, top-k, top-p or a repetition penalty.
    public func validate() throws {
        if multiToken, !sampling.greedy || sampling.beams != nil || inference.draftModel != nil || inference.skip != nil || sampling.repetitionPenalty != 1 {
            throw ValidationError("--multi-token decodes greedily: use it with --greedy, without --beams, --draft-model, --skip or --repetition-penalty")
        }
        guard inference.draftModel != nil else { return }
        // Speculative decoding verifies against the plain (or temperature-scaled) distribution.
        if sampling.beams != nil || sampling.topK != nil || sampling.topP != nil || sampling.repetitionPenalty != 1 {
            throw ValidationError("--draft-model works with --greedy or plain --temperature sampling, not with --beams, --top-k, --top-p or --repetition-penalty")
        }
    }

    /// Loads the model and tokenizer, then streams the continuation (or prints JSON at the end).
    public func run() throws {
        threads.apply()
        let transformer = try model.loadModel()
        try inference.prepare(transformer)
        let tokenizer = try model.loadTokenizer()
        let vocabularySize = transformer.configuration.vocabularySize
        let promptTokens = try prompt.tokens(tokenizer: tokenizer, vocabularySize: vocabularySize, modelPath: model.modelPath)
        let endOfText = tokenizer.flatMap(TokenizerFolder.endOfTextID).map { [$0] } ?? []
        var settings = try sampling.settings(seed: seed.seed, extraStopTokens: endOfText.filter { $0 < vocabularySize })
        try settings.validate(vocabularySize: vocabularySize)
        try checkContext(promptLength: promptTokens.count, configuration: transformer.configuration, settings: &settings)

        if multiToken {
            try generateWithHeads(model: transformer, prompt: promptTokens, settings: settings, tokenizer: tokenizer)
            return
        }
        if let draft = try inference.loadDraft() {
            try generateSpeculatively(target: transformer, draft: draft, prompt: promptTokens, settings: settings, tokenizer: tokenizer)
            return
        }

        // Everything that can be rejected has been; from here on output streams.
        var streamer = tokenizer.map { TextStreamer(tokenizer: $0) }
        var streamError: (any Error)?
        var printedAny = false
        let onToken: (Int) -> Bool = { token in
            guard !output.json else { return true }
            do {
                if streamer != nil {
                    Console.writeOutput(try streamer!.append(token))
                } else {
                    Console.writeOutput((printedAny ? " " : "") + String(token))
                }
                printedAny = true
                return true
            } catch {
                streamError = error
                return false
            }
        }
        let result: GenerationResult
        if let method = try inference.skipMethod(layerCount: transformer.configuration.layerCount) {
            result = try TokenGenerator(model: SkippingDecoder(transformer, method)).generate(prompt: promptTokens, settings: settings, onToken: onToken)
        } else {
            result = try TokenGenerator(model: transformer).generate(prompt: promptTokens, settings: settings, onToken: onToken)
        }
        if let streamError { throw streamError }
        if output.json {
            try printJSON(prompt: promptTokens, result: result, tokenizer: tokenizer)
        } else {
            if streamer != nil { Console.writeOutput(try streamer!.finish()) }
            Console.writeOutput("\n")
        }
    }

    /// Draft-then-verify decoding; prints the continuation and the acceptance statistics.
    private func generateSpeculatively(
        target: DecoderTransformer, draft: DecoderTransformer, prompt: [Int], settings: GenerationSettings, tokenizer: (any Tokenizer)?
    ) throws {
        let decoder = try SpeculativeDecoder(target: target, draft: draft, policy: .draftThenVerify(lookahead: inference.lookahead))
        let start = Date()
        let (result, statistics) = try decoder.generate(
            prompt: prompt, maxNewTokens: settings.maxNewTokens, temperature: settings.mode == .greedy ? nil : settings.temperature,
            stopTokens: Set(settings.stopTokens), seed: settings.seed)
        let seconds = Date().timeIntervalSince(start)
        Console.progress(String(format: "speculative: %d tokens in %.2f s (%.1f tokens/s), %d of %d drafted tokens accepted (%.0f%%), %d target passes",
                                result.tokens.count, seconds, Double(result.tokens.count) / max(seconds, 1e-9), statistics.accepted,
                                statistics.proposed, 100 * statistics.acceptanceRate, statistics.targetCalls))
        try writeResult(prompt: prompt, result: result, tokenizer: tokenizer)
    }

    /// Learned positions end at the context length: refuse before printing anything rather
    /// than fail half-way through the stream. Without `--max-new-tokens` the default shrinks to
    /// what the context leaves after the prompt.
    private func checkContext(promptLength: Int, configuration: DecoderConfiguration, settings: inout GenerationSettings) throws {
        guard configuration.flavor == .gpt2 else { return }
        let limit = configuration.contextLength
        if promptLength > limit {
            throw CommandFailure("prompt: \(promptLength) tokens exceed the model's context of \(limit) tokens")
        }
        guard let asked = sampling.maxNewTokens else {
            settings.maxNewTokens = min(settings.maxNewTokens, limit - promptLength)
            return
        }
        if promptLength + asked > limit {
            throw CommandFailure.option("--max-new-tokens", "the prompt (\(promptLength) tokens) plus \(asked) new tokens exceed the model's context of \(limit) tokens; use at most \(limit - promptLength)")
        }
    }

    /// Writes a finished (not streamed) generation to stdout: JSON with `--json`, else the
    /// decoded text, or the token ids when there is no tokenizer.
    func writeResult(prompt: [Int], result: GenerationResult, tokenizer: (any Tokenizer)?) throws {
        if output.json {
            try printJSON(prompt: prompt, result: result, tokenizer: tokenizer)
        } else if let tokenizer {
            Console.writeOutput(try tokenizer.decode(result.tokens, skippingSpecialTokens: true) + "\n")
        } else {
            Console.writeOutput(result.tokens.map(String.init).joined(separator: " ") + "\n")
        }
    }

    func printJSON(prompt: [Int], result: GenerationResult, tokenizer: (any Tokenizer)?) throws {
        var object: [String: Any] = ["prompt_ids": prompt, "new_tokens": result.tokens]
        switch result.finishReason {
        case .stopToken(let token): object["finish_reason"] = "stop_token"; object["stop_token"] = token
        case .maxNewTokens: object["finish_reason"] = "max_new_tokens"
        case .stoppedByCallback: object["finish_reason"] = "stopped"
        }
        if let tokenizer { object["text"] = try tokenizer.decode(result.tokens, skippingSpecialTokens: true) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        Console.printLine(String(decoding: data, as: UTF8.self))
    }
}
