// The grammar that keeps sampled icons valid (our addition to IconShop, which samples
// unconstrained and reports validity): text, then paths of M followed by L/C commands with
// their x/y coordinates, each path ended, the icon ended before the context is full. A
// fill-in-the-middle sequence (IconShop section 3.3) continues after end-of-icon with a mask
// token and exactly one path ended by end-of-mask.

import Foundation
import Generation

/// An incremental parser of icon token sequences that knows which tokens may come next.
public struct IconGrammar: Sendable {
    enum State: Sendable, Equatable {
        case start, text
        case pathStart(span: Bool)
        case afterMove(span: Bool), afterSegment(span: Bool)
        case coordinates(remaining: Int, nextIsX: Bool, then: Then, span: Bool)
        case expectSpanMask, expectEndOfMask, finished
    }
    enum Then: Sendable, Equatable { case afterMove, afterSegment }

    let tokenizer: IconTokenizer
    private(set) var state: State = .start
    private(set) var pathCount = 0
    private var maskSeen = false

    /// A parser at the start of a sequence.
    public init(tokenizer: IconTokenizer) { self.tokenizer = tokenizer }

    /// Whether the sequence so far is a complete icon (or a complete filled-in span).
    public var isFinished: Bool { state == .finished }

    /// Consumes one token.
    ///
    /// - Throws: ``IconError/invalidTokens(detail:)`` when `token` is not allowed here.
    public mutating func advance(_ token: Int) throws {
        guard let next = transition(token) else {
            throw IconError.invalidTokens(detail: "token \(token) not allowed in state \(state)")
        }
        if token == IconTokenizer.mask, case .pathStart(false) = state { maskSeen = true }
        if token == IconTokenizer.endOfPath { pathCount += 1 }
        state = next
    }

    /// The state after `token`, or nil when the grammar forbids it.
    func transition(_ token: Int) -> State? {
        typealias T = IconTokenizer
        switch state {
        case .start: return token == T.bos ? .text : nil
        case .text:
            if tokenizer.isWord(token) { return .text }
            return token == T.separator ? .pathStart(span: false) : nil
        case .pathStart(let span):
            if token == T.moveTo { return .coordinates(remaining: 2, nextIsX: true, then: .afterMove, span: span) }
            if !span, token == T.endOfIcon, pathCount > 0 || maskSeen { return maskSeen ? .expectSpanMask : .finished }
            if !span, token == T.mask, !maskSeen { return .pathStart(span: false) }
            return nil
        case .afterMove(let span), .afterSegment(let span):
            if token == T.lineTo { return .coordinates(remaining: 2, nextIsX: true, then: .afterSegment, span: span) }
            if token == T.cubicTo { return .coordinates(remaining: 6, nextIsX: true, then: .afterSegment, span: span) }
            if token == T.endOfPath, case .afterSegment = state { return span ? .expectEndOfMask : .pathStart(span: false) }
            return nil
        case .coordinates(let remaining, let nextIsX, let then, let span):
            guard nextIsX ? tokenizer.isX(token) : tokenizer.isY(token) else { return nil }
            if remaining > 1 { return .coordinates(remaining: remaining - 1, nextIsX: !nextIsX, then: then, span: span) }
            return then == .afterMove ? .afterMove(span: span) : .afterSegment(span: span)
        case .expectSpanMask: return token == T.mask ? .pathStart(span: true) : nil
        case .expectEndOfMask: return token == T.endOfMask ? .finished : nil
        case .finished: return nil
        }
    }

    /// The fewest tokens (the final stop token included) that finish the sequence from `state`.
    func costToFinish(_ state: State) -> Int {
        switch state {
        case .start: return 10
        case .text: return 9
        case .pathStart(let span): return span ? 8 : (maskSeen ? 10 : (pathCount > 0 ? 1 : 8))
        case .afterMove: return 5
        case .afterSegment: return 2
        case .coordinates(let remaining, _, let then, _): return remaining + (then == .afterMove ? 5 : 2)
        case .expectSpanMask: return 9
        case .expectEndOfMask: return 1
        case .finished: return 0
        }
    }

    /// Tokens allowed next when at most `budget` more tokens fit (the stop token included).
    public func allowedTokens(budget: Int) -> [Int] {
        let candidates: [Int]
        switch state {
        case .coordinates(_, let nextIsX, _, _):
            let base = nextIsX ? tokenizer.xBase : tokenizer.yBase
            return costToFinish(state) <= budget ? Array(base..<(base + tokenizer.gridSize)) : []
        case .text: candidates = [IconTokenizer.separator] + Array(tokenizer.firstWord..<tokenizer.xBase)
        default: candidates = Array(0..<IconTokenizer.specialCount)
        }
        return candidates.filter { token in
            guard let next = transition(token) else { return false }
            // Generation never opens a new mask; masks come from the prompt.
            if token == IconTokenizer.mask, case .pathStart(false) = state { return false }
            var copy = self
            copy.state = next
            if token == IconTokenizer.endOfPath { copy.pathCount += 1 }
            return 1 + (next == .finished ? 0 : copy.costToFinish(next)) <= budget || next == .finished && budget >= 1
        }
    }
}

/// Masks every token the icon grammar forbids, so every sampled sequence decodes and
/// renders (IconShop section 4 reports validity; here it is 100% by construction).
///
/// ```swift
/// let grammar = IconGrammarProcessor.factory(tokenizer: tokenizer, contextLength: 512)
/// let result = try TokenGenerator(model: model).generate(prompt: prompt, settings: settings, processors: [grammar])
/// ```
public final class IconGrammarProcessor: LogitsProcessor, @unchecked Sendable {
    private var grammar: IconGrammar
    private var consumed = 0
    private let contextLength: Int

    /// A processor for sequences of at most `contextLength` tokens.
    ///
    /// - Throws: ``IconError/invalidArgument(name:detail:)`` when `contextLength < 16`.
    public init(tokenizer: IconTokenizer, contextLength: Int) throws {
        guard contextLength >= 16 else {
            throw IconError.invalidArgument(name: "contextLength", detail: "must be >= 16 for a valid icon, got \(contextLength)")
        }
        grammar = IconGrammar(tokenizer: tokenizer)
        self.contextLength = contextLength
    }

    /// One fresh processor per sequence.
    public static func factory(tokenizer: IconTokenizer, contextLength: Int) -> LogitsProcessorFactory {
        LogitsProcessorFactory { _ in try IconGrammarProcessor(tokenizer: tokenizer, contextLength: contextLength) }
    }

    /// Keeps only the tokens the grammar allows next that still leave room to end the icon.
    ///
    /// - Throws: ``IconError/invalidTokens(detail:)`` when the context breaks the grammar.
    public func process(_ logits: inout [Float], context: [Int]) throws {
        for token in context[consumed...] { try grammar.advance(token) }
        consumed = context.count
        // The token sampled now occupies position context.count; the stop token is never fed back.
        let allowed = grammar.allowedTokens(budget: contextLength - context.count + 1)
        var masked = [Float](repeating: -.infinity, count: logits.count)
        for token in allowed where token < logits.count { masked[token] = logits[token] }
        logits = masked
    }

    public func forked() -> any LogitsProcessor {
        let copy = try! IconGrammarProcessor(tokenizer: grammar.tokenizer, contextLength: contextLength)
        copy.grammar = grammar
        copy.consumed = consumed
        return copy
    }
}
