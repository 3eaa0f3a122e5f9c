/// Restricts generation to an allowed set of tokens, or forbids a banned set.
///
/// Every token outside the allowed set (or inside the banned set) gets a logit of -inf, so
/// no sampler can choose it.
///
/// ```swift
/// let digitsOnly = try AllowedTokensProcessor(allowed: Set(16...25))
/// let noPadding = try AllowedTokensProcessor(banned: [0])
/// var logits = modelLogits
/// try digitsOnly.process(&logits, context: context)
/// ```
public struct AllowedTokensProcessor: LogitsProcessor {
    /// Whether `tokens` lists the only tokens allowed or the tokens banned.
    public enum Mode: Sendable, Equatable {
        /// Only `tokens` may be generated.
        case allowed
        /// `tokens` may not be generated.
        case banned
    }

    /// Allowed or banned.
    public let mode: Mode
    /// The token ids the mode refers to.
    public let tokens: Set<Int>

    /// Allows only `allowed`.
    ///
    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` naming `allowedTokens` if
    ///   the set is empty or holds a negative id.
    public init(allowed: Set<Int>) throws {
        guard !allowed.isEmpty else {
            throw GenerationError.invalidSetting(field: "allowedTokens", reason: "is empty, so no token could ever be generated")
        }
        try Self.checkNonNegative(allowed, field: "allowedTokens")
        self.mode = .allowed
        self.tokens = allowed
    }

    /// Forbids `banned`.
    ///
    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` naming `bannedTokens` if
    ///   the set holds a negative id.
    public init(banned: Set<Int>) throws {
        try Self.checkNonNegative(banned, field: "bannedTokens")
        self.mode = .banned
        self.tokens = banned
    }

    private static func checkNonNegative(_ tokens: Set<Int>, field: String) throws {
        if let bad = tokens.first(where: { $0 < 0 }) {
            throw GenerationError.invalidSetting(field: field, reason: "token ids must be >= 0, got \(bad)")
        }
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        switch mode {
        case .banned:
            for token in tokens where token < logits.count { logits[token] = -.infinity }
        case .allowed:
            for i in logits.indices where !tokens.contains(i) { logits[i] = -.infinity }
        }
    }
}
