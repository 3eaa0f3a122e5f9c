import ArgumentParser
import Commands

/// `nexttoken lm`: the language-model tools every application builds on.
public struct LanguageModelCommand: ParsableCommand {
    /// `lm`, with the `generate`, `logits`, `train` and `plot` subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Run, inspect and train decoder-only language models (GPT-2, LLaMA, NextToken checkpoints).",
        subcommands: [GenerateCommand.self, LogitsCommand.self, TrainCommand.self, PlotCommand.self])

    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}
}
