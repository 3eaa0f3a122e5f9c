import ArgumentParser

/// `nexttoken lm`: the language-model tools every application builds on.
public struct LanguageModelCommand: ParsableCommand {
    /// `lm`, with the `generate`, `logits` and `train` subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Run, inspect and train decoder-only language models (GPT-2, LLaMA, NextToken checkpoints).",
        subcommands: [GenerateCommand.self, LogitsCommand.self, TrainCommand.self])

    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}
}
