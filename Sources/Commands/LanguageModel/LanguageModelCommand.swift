import ArgumentParser

/// `nexttoken lm`: the language-model tools every application builds on.
public struct LanguageModelCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Run, inspect and train decoder-only language models (GPT-2, LLaMA, NextToken checkpoints).",
        subcommands: [GenerateCommand.self, LogitsCommand.self, TrainCommand.self])

    public init() {}
}
