import Foundation
import Tensors

/// Speculative decoding: a small draft model proposes tokens, the target model checks them
/// all in one forward pass.
///
/// - Greedy: the draft proposes `k` greedy tokens; the target keeps the longest prefix that
///   equals its own argmax and adds its own next token, so the output is exactly the
///   target's greedy output (Leviathan et al. 2023, "Fast Inference from Transformers via
///   Speculative Decoding", section 2.3).
/// - Sampling: token `x` drafted with probability `q(x)` is accepted with probability
///   `min(1, p(x) / q(x))`; on rejection the replacement is drawn from `norm(max(0, p - q))`.
///   The output is distributed exactly as the target's (Leviathan et al. 2023, section 2.3;
///   Chen et al. 2023, "Accelerating Large Language Model Decoding with Speculative Sampling",
///   algorithm 2).
/// - Big Little Decoder (Kim et al. 2023, "Speculative Decoding with Big Little Decoder",
///   section 3): the draft runs until its top probability falls below `fallbackThreshold`
///   (fallback policy), then the target checks the run and rolls back to the first token
///   whose cross-entropy under the target exceeds `rollbackThreshold` (rollback policy),
///   replacing it with the target's own token. Faster, not exactly the target's output.
public struct SpeculativeDecoder<Target: AutoregressiveModel, Draft: AutoregressiveModel> {
    /// How the draft proposes and the target checks.
    public enum Policy: Sendable, Equatable {
        /// Draft `lookahead` tokens per step; lossless.
        case draftThenVerify(lookahead: Int)
        /// Big Little Decoder fallback and rollback thresholds (probability; nats).
        case bigLittle(fallbackThreshold: Float, rollbackThreshold: Float, maximumRun: Int)
    }

    /// What one run measured.
    public struct Statistics: Sendable, Equatable {
        /// Draft tokens proposed and accepted.
        public var proposed = 0, accepted = 0
        /// Target forward passes.
        public var targetCalls = 0
        /// accepted / proposed.
        public var acceptanceRate: Double { proposed == 0 ? 0 : Double(accepted) / Double(proposed) }
    }

    /// The model whose output (or distribution) is produced.
    public let target: Target
    /// The smaller model that proposes tokens; it must share the target's vocabulary.
    public let draft: Draft
    /// Lossless draft-then-verify or the faster, approximate Big Little Decoder.
    public let policy: Policy

    /// - Throws: when the two vocabularies differ or the policy's numbers make no sense.
    public init(target: Target, draft: Draft, policy: Policy = .draftThenVerify(lookahead: 4)) throws {
        guard target.vocabularySize == draft.vocabularySize else {
            throw GenerationError.invalidSetting(field: "draft", reason: "vocabulary \(draft.vocabularySize) differs from the target's \(target.vocabularySize)")
        }
        switch policy {
        case .draftThenVerify(let k) where k < 1:
            throw GenerationError.invalidSetting(field: "lookahead", reason: "must be at least 1, got \(k)")
        case let .bigLittle(fallback, rollback, run) where !(fallback > 0 && fallback < 1) || rollback <= 0 || run < 1:
            throw GenerationError.invalidSetting(field: "bigLittle", reason: "fallback must be in (0, 1), rollback and run positive")
        default: break
        }
        self.target = target
        self.draft = draft
        self.policy = policy
    }

    /// Generates up to `maxNewTokens` tokens after `prompt`.
    ///
    /// - Parameters:
    ///   - temperature: nil for greedy; otherwise sampling at this temperature (> 0).
    ///   - stopTokens: generation ends (without the stop token) when one is produced.
    ///   - processors: logits processors (masks, grammars) applied, before the temperature,
    ///     to the draft's and the target's logits alike, so both propose and verify under the
    ///     same constraints and the output is the processed target distribution's.
    public func generate(
        prompt: [Int], maxNewTokens: Int, temperature: Float? = nil, stopTokens: Set<Int> = [], seed: UInt64 = 0,
        processors: [LogitsProcessorFactory] = []
    ) throws -> (result: GenerationResult, statistics: Statistics) {
        if let temperature, !(temperature > 0) {
            throw GenerationError.invalidSetting(field: "temperature", reason: "must be positive for sampling, got \(temperature)")
        }
        return try run(prompt: prompt, maxNewTokens: maxNewTokens, temperature: temperature, stopTokens: stopTokens, seed: seed,
                       factories: processors)
    }

    /// Generates with the full sampling pipeline of `settings` (its temperature, top-k, top-p,
    /// repetition penalty, banned tokens and minimum length, plus the application's
    /// `processors`), applied to both models' logits. Greedy when `settings.mode` is greedy;
    /// beam search is not supported.
    ///
    /// ```swift
    /// let decoder = try SpeculativeDecoder(target: big, draft: small)
    /// let (result, statistics) = try decoder.generate(prompt: prompt, settings: settings, processors: [grammar])
    /// ```
    public func generate(
        prompt: [Int], settings: GenerationSettings, processors: [LogitsProcessorFactory] = []
    ) throws -> (result: GenerationResult, statistics: Statistics) {
        try settings.validate(vocabularySize: target.vocabularySize)
        guard settings.mode != .beamSearch else {
            throw GenerationError.invalidSetting(field: "mode", reason: "speculative decoding does not run beam search")
        }
        return try run(prompt: prompt, maxNewTokens: settings.maxNewTokens, temperature: settings.mode == .greedy ? nil : 1,
                       stopTokens: Set(settings.stopTokens), seed: settings.seed,
                       factories: try settings.makeProcessorFactories(extra: processors))
    }

    private func run(
        prompt: [Int], maxNewTokens: Int, temperature: Float?, stopTokens: Set<Int>, seed: UInt64, factories: [LogitsProcessorFactory]
    ) throws -> (result: GenerationResult, statistics: Statistics) {
        guard !prompt.isEmpty else { throw GenerationError.emptyPrompt(sequence: 0) }
        guard maxNewTokens >= 0 else { throw GenerationError.invalidSetting(field: "maxNewTokens", reason: "must not be negative") }
        var generator = SeededGenerator(seed: seed)
        var targetStates = [target.makeState()], draftStates = [draft.makeState()]
        // Both models read the prompt but its last token; each step feeds the last token first.
        if prompt.count > 1 {
            _ = try target.logits(appending: [Array(prompt.dropLast())], to: &targetStates)
            _ = try draft.logits(appending: [Array(prompt.dropLast())], to: &draftStates)
        }
        // The target's chain only ever sees the accepted context growing (what incremental,
        // stateful processors need); the draft works on a fork of it each step.
        let committed = try LogitsProcessorChain(factories: factories, sequence: SequenceInfo(index: 0, prompt: prompt))
        var statistics = Statistics()
        var output: [Int] = []
        var last = prompt.last!
        func distribution(_ raw: [Float], _ chain: LogitsProcessorChain, _ context: [Int]) throws -> [Double] {
            var logits = raw
            try chain.process(&logits, context: context)
            return try LogitsMath.softmax(temperature.map { t in t == 1 ? logits : logits.map { $0 / t } } ?? logits,
                                          where: "speculative decoding")
        }
        func pick(_ probabilities: [Double]) -> Int {
            if temperature == nil { return probabilities.indices.max { probabilities[$0] < probabilities[$1] }! }
            return Self.sample(probabilities, &generator)
        }
        while output.count < maxNewTokens {
            let base = target.length(of: targetStates[0])
            let context = prompt + output
            // 1. Draft a run of tokens.
            let draftChain = committed.forkedChain()
            var drafted: [Int] = [], draftProbabilities: [[Double]] = []
            var next = last
            let limit: Int
            switch policy {
            case .draftThenVerify(let k): limit = min(k, maxNewTokens - output.count)
            case .bigLittle(_, _, let run): limit = min(run, maxNewTokens - output.count)
            }
            while drafted.count < limit {
                let q = try distribution(try draft.logits(appending: [[next]], to: &draftStates)[0][0], draftChain, context + drafted)
                if case .bigLittle(let fallback, _, _) = policy, q.max()! < Double(fallback) {
                    // Fallback: the draft is unsure; let the target decide from here.
                    if drafted.isEmpty { draft.truncate(&draftStates[0], to: base) }
                    break
                }
                next = pick(q)
                drafted.append(next)
                draftProbabilities.append(q)
                // Nothing follows a stop token (processors may admit no continuation after it).
                if stopTokens.contains(next) { break }
            }
            // 2. The target scores the last token and every drafted one in one pass.
            let targetLogits = try target.logits(appending: [[last] + drafted], to: &targetStates)[0]
            statistics.targetCalls += 1
            statistics.proposed += drafted.count
            var accepted: [Int] = []
            var replacement: Int?
            for (index, token) in drafted.enumerated() {
                let p = try distribution(targetLogits[index], committed, context + accepted)
                let keep: Bool
                switch policy {
                case .draftThenVerify:
                    if temperature == nil {
                        keep = pick(p) == token
                    } else {
                        keep = Double(generator.nextUnitFloat()) < min(1, p[token] / max(draftProbabilities[index][token], 1e-300))
                    }
                    if !keep {
                        if temperature == nil {
                            replacement = pick(p)
                        } else {
                            var residual = zip(p, draftProbabilities[index]).map { max(0, $0 - $1) }
                            let total = residual.reduce(0, +)
                            if total > 0 { for i in residual.indices { residual[i] /= total } } else { residual = p }
                            replacement = Self.sample(residual, &generator)
                        }
                    }
                case .bigLittle(_, let rollback, _):
                    keep = -log(max(p[token], 1e-300)) <= Double(rollback)
                    if !keep { replacement = pick(p) }
                }
                if !keep { break }
                accepted.append(token)
            }
            statistics.accepted += accepted.count
            if let stop = accepted.last, stopTokens.contains(stop) {
                return (GenerationResult(tokens: output + accepted.dropLast(), finishReason: .stopToken(stop)), statistics)
            }
            // 3. After a full acceptance the target's last logits give one more token for free.
            let bonus = try replacement ?? pick(distribution(targetLogits[accepted.count], committed, context + accepted))
            let step = accepted + [bonus]
            // Keep both caches at the accepted prefix (the last token is fed next step).
            target.truncate(&targetStates[0], to: base + 1 + accepted.count)
            draft.truncate(&draftStates[0], to: base + 1 + accepted.count)
            if draft.length(of: draftStates[0]) < base + 1 + accepted.count {
                // The draft never saw the tokens the target added itself: catch it up.
                let missing = ([last] + accepted).suffix(base + 1 + accepted.count - draft.length(of: draftStates[0]))
                _ = try draft.logits(appending: [Array(missing)], to: &draftStates)
            }
            for token in step {
                if stopTokens.contains(token) {
                    return (GenerationResult(tokens: output, finishReason: .stopToken(token)), statistics)
                }
                output.append(token)
                if output.count == maxNewTokens { break }
            }
            last = bonus
        }
        return (GenerationResult(tokens: output, finishReason: .maxNewTokens), statistics)
    }

    static func sample(_ probabilities: [Double], _ generator: inout SeededGenerator) -> Int {
        let threshold = Double(generator.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        var cumulative = 0.0
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if threshold < cumulative { return index }
        }
        return probabilities.lastIndex { $0 > 0 } ?? 0
    }
}
