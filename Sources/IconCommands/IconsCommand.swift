import ArgumentParser
import Commands

/// `icons`: text-guided SVG icon synthesis (IconShop, Wu et al. 2023) on the NextToken core.
public struct IconsCommand: ParsableCommand {
    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}

    /// `icons`, with its subcommands; `generate` is the default.
    public static let configuration = CommandConfiguration(
        commandName: "icons",
        abstract: "Generate, edit and complete SVG icons from keywords (IconShop re-implementation).",
        version: NextTokenVersion.string,
        subcommands: [
            IconsGenerateCommand.self, IconsEditCommand.self, IconsCompleteCommand.self,
            IconsInterpolateCommand.self, IconsCombineCommand.self, IconsRenderCommand.self,
            IconsDatasetCommand.self, IconsTrainCommand.self, IconsEvalCommand.self, IconsClassifierCommand.self,
            IconsMatchCommand.self, IconsEmbedKeywordsCommand.self,
        ],
        defaultSubcommand: IconsGenerateCommand.self)
}
