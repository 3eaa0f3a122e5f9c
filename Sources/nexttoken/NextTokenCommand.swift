import ArgumentParser
import Commands
import ForecastCommands
import IconCommands
import ImageCommands
import LanguageModelCommands
import RetrieveCommands

/// `nexttoken`: the root of the umbrella tool. Each application's command group is a
/// subcommand, so `nexttoken forecast predict ...` runs exactly what `forecast predict ...`
/// runs; `lm` holds the shared language-model tools.
///
/// The root is asynchronous because `retrieve serve` runs a server (see `main.swift`).
///
/// ```sh
/// nexttoken lm generate --model Tests/Fixtures/gpt2-tiny --ids 1,2,3 --greedy
/// nexttoken retrieve query "who wrote the iliad"
/// ```
struct NextTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexttoken",
        abstract: "One autoregressive transformer core, several command-line tools.",
        version: NextTokenVersion.string,
        subcommands: [LanguageModelCommand.self, EmbedCommand.self, IconsCommand.self, ForecastCommand.self, ImagesCommand.self, RetrieveCommand.self])

    init() {}
}
