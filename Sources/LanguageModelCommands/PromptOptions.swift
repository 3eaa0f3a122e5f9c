import ArgumentParser
import Commands
import Foundation
import Tokenizers

/// The input of `lm generate` and `lm logits`: a text prompt (encoded with the model's
/// tokenizer) or `--ids 1,2,3` (token ids as they are, for models without a tokenizer).
public struct PromptOptions: ParsableArguments {
    @Argument(help: "The prompt text (needs a tokenizer; see --tokenizer).")
    public var prompt: String?

    @Option(help: ArgumentHelp("Token ids instead of text, comma-separated: --ids 1,2,3.", valueName: "ids"))
    public var ids: TokenIDList?

    /// Neither a prompt nor ids: parsing fills them in.
    public init() {}

    /// Requires exactly one of a prompt and `--ids`.
    public func validate() throws {
        switch (prompt, ids) {
        case (nil, nil): throw ValidationError("give a prompt or --ids")
        case (.some, .some): throw ValidationError("give either a prompt or --ids, not both")
        default: break
        }
    }

    /// The prompt as token ids, each checked against the model's vocabulary.
    ///
    /// - Throws: ``CommandFailure`` when text needs a tokenizer the model folder lacks, the
    ///   text encodes to nothing, or an id is outside the vocabulary.
    public func tokens(tokenizer: (any Tokenizer)?, vocabularySize: Int, modelPath: String) throws -> [Int] {
        let tokens: [Int]
        if let ids {
            tokens = ids.values
        } else {
            guard let tokenizer else {
                throw CommandFailure("--model \(modelPath): no tokenizer (\(TokenizerFolder.expectedFiles)); pass --tokenizer DIR or give token ids with --ids")
            }
            tokens = try tokenizer.encode(prompt ?? "")
            guard !tokens.isEmpty else { throw CommandFailure("prompt: encodes to no tokens; give some text") }
        }
        if let bad = tokens.first(where: { $0 >= vocabularySize }) {
            throw CommandFailure.option(ids == nil ? "prompt" : "--ids", "token \(bad) is outside the model's vocabulary 0..<\(vocabularySize)")
        }
        return tokens
    }
}

/// A comma-separated list of non-negative token ids, as given to `--ids`.
public struct TokenIDList: ExpressibleByArgument, Sendable, Equatable {
    /// The ids, in order.
    public var values: [Int]

    /// Parses `"1,2,3"` (spaces around commas allowed); nil for anything else.
    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var values: [Int] = []
        for part in parts {
            guard let id = Int(part), id >= 0 else { return nil }
            values.append(id)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    /// No shell completion for id lists.
    public static var defaultCompletionKind: CompletionKind { .default }
}
