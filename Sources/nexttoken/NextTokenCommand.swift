import ArgumentParser
import Commands
import ForecastCommands
import ImageCommands
import IconCommands

/// `nexttoken`: the root of the umbrella tool. Each application adds its command group here
/// as it lands; `lm` holds the shared language-model tools.
///
/// ```sh
/// nexttoken lm generate --model ../shared/fixtures/gpt2-tiny --ids 1,2,3 --greedy
/// ```
struct NextTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexttoken",
        abstract: "One autoregressive transformer core, several command-line tools.",
        subcommands: [LanguageModelCommand.self, IconsCommand.self, ForecastCommand.self, ImagesCommand.self])

    init() {}
}
