// How the icon tasks decode: plain cached sampling, layer skipping (SkipDecode, Del Corro et
// al. 2023; FFN-SkipLLM, Jaiswal et al. 2024), speculative decoding with a small icon model
// as the draft (Leviathan et al. 2023), and set-based prompting of the keywords
// (McIlroy-Young et al. 2024) so that their order cannot change the icon.

import Foundation
import Generation
import NeuralNetworks

/// The decoding strategy of an ``IconSynthesizer``.
public enum IconDecoding {
    /// Cached sampling of all requested icons as one batch.
    case standard
    /// Layer skipping while decoding (faster, at a measured loss in quality).
    case skipping(LayerSkipping.Method)
    /// A smaller icon model with the same tokenizer drafts `lookahead` tokens per step and the
    /// model verifies them: the icons follow the model's own distribution.
    case speculative(draft: DecoderTransformer, lookahead: Int)
}

/// What the last generation measured (tokens, time, speculative acceptance).
public final class IconDecodingReport: @unchecked Sendable {
    /// Tokens generated (end tokens included) and the wall time of the call.
    public internal(set) var tokens = 0, seconds = 0.0
    /// Speculative decoding: drafted tokens proposed and accepted, and passes of the main model.
    public internal(set) var proposed = 0, accepted = 0, targetCalls = 0

    /// An empty report.
    public init() {}

    /// One line for stderr.
    public var summary: String {
        var line = String(format: "%d tokens in %.2f s (%.0f tokens/s)", tokens, seconds, Double(tokens) / max(seconds, 1e-9))
        if proposed > 0 {
            line += String(format: ", %d of %d drafted tokens accepted (%.0f%%), %d model passes",
                           accepted, proposed, 100 * Double(accepted) / Double(proposed), targetCalls)
        }
        return line
    }

    func reset() { (tokens, seconds, proposed, accepted, targetCalls) = (0, 0, 0, 0, 0) }
}

extension IconSynthesizer {
    /// Samples a continuation of every prompt through the grammar processor, with the
    /// synthesizer's decoding strategy; `keywords` (a set prompt) replaces `prompts` when
    /// given, and `guided` applies ``textGuidance`` against the keyword-free prompt.
    func decode(prompts: [[Int]], keywords: SetPrompt?, guided: Bool = false, stop: Int, options: IconSamplingOptions) throws -> [[Int]] {
        let start = Date()
        report.reset()
        defer { report.seconds = Date().timeIntervalSince(start) }
        let longest = prompts.map(\.count).max() ?? 0
        let settings = try settings(options, promptLength: longest, stop: stop)
        let grammar = IconGrammarProcessor.factory(tokenizer: tokenizer, contextLength: model.contextLength)
        let scale = guided ? textGuidance : 1
        let unconditional = tokenizer.prompt(text: "")

        func batch<M: AutoregressiveModel>(_ model: M, _ prompts: [[Int]]) throws -> [[Int]] {
            if scale != 1 {
                let guidedModel = GuidedDecoder(model, unconditionalPrompt: unconditional, scale: scale)
                return try TokenGenerator(model: guidedModel).generate(prompts: prompts, settings: settings, processors: [grammar]).map(\.tokens)
            }
            return try TokenGenerator(model: model).generate(prompts: prompts, settings: settings, processors: [grammar]).map(\.tokens)
        }
        func speculative<T: AutoregressiveModel, D: AutoregressiveModel>(_ target: T, _ draft: D, lookahead: Int) throws -> [[Int]] {
            let decoder = try SpeculativeDecoder(target: target, draft: draft, policy: .draftThenVerify(lookahead: lookahead))
            return try prompts.indices.map { index in
                var sequenceSettings = settings
                sequenceSettings.seed = settings.seed &+ UInt64(index)
                let (result, statistics) = try decoder.generate(prompt: prompts[index], settings: sequenceSettings, processors: [grammar])
                report.proposed += statistics.proposed
                report.accepted += statistics.accepted
                report.targetCalls += statistics.targetCalls
                return result.tokens
            }
        }

        let transformer = model.transformer
        let results: [[Int]]
        switch (decoding, keywords) {
        case (.standard, nil):
            results = try batch(transformer, prompts)
        case (.standard, let set?):
            let decoder = try SetPromptDecoder(transformer, set)
            results = try batch(decoder, Array(repeating: decoder.tokens, count: prompts.count))
        case (.skipping(let method), nil):
            results = try batch(try SkippingDecoder(transformer, method), prompts)
        case (.speculative(let draft, let lookahead), nil):
            guard scale == 1 else {
                throw IconError.invalidArgument(name: "--guidance", detail: "works with plain, set or layer-skipping decoding, not with --draft-model")
            }
            results = try speculative(transformer, draft, lookahead: lookahead)
        case (_, .some):
            throw IconError.invalidArgument(name: "--keywords-as-set", detail: "works with plain decoding only, not with --skip or --draft-model")
        }
        report.tokens = results.reduce(0) { $0 + $1.count + 1 }
        return results.map { $0 + [stop] }
    }

    /// The keywords of `text` as a set prompt: `[BOS] {word, word, ...} [SEP]`, each word a
    /// member that cannot see the others, all at the same position.
    func keywordSet(_ text: String) -> SetPrompt? {
        let words = tokenizer.encodeText(text)
        guard words.count > 1 else { return nil }
        return SetPrompt(prefix: [IconTokenizer.bos], members: words.map { [$0] }, suffix: [IconTokenizer.separator])
    }
}
