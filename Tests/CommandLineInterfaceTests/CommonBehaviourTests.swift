import ArgumentParser
import Commands
import ForecastCommands
import IconCommands
import ImageCommands
import LanguageModelCommands
import RetrieveCommands
import Tensors
import Testing

/// What every tool shares: one `--version`, and `--threads` applied by the runner wherever
/// a command declares it.
struct CommonBehaviourTests {
    static func versionOutput<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) -> String? {
        do {
            _ = try root.parseAsRoot(arguments)
            return nil
        } catch {
            return root.fullMessage(for: error)
        }
    }

    @Test func everyToolPrintsTheOneVersion() {
        #expect(!NextTokenVersion.string.isEmpty)
        #expect(Self.versionOutput(IconsCommand.self, ["--version"]) == NextTokenVersion.string)
        #expect(Self.versionOutput(ForecastCommand.self, ["--version"]) == NextTokenVersion.string)
        #expect(Self.versionOutput(ImagesCommand.self, ["--version"]) == NextTokenVersion.string)
        #expect(Self.versionOutput(RetrieveCommand.self, ["--version"]) == NextTokenVersion.string)
        #expect(Self.versionOutput(ForecastCommand.self, ["predict", "--version"]) == NextTokenVersion.string)
    }

    /// A command whose `--threads` sits inside another option group, as in `icons generate`.
    struct Nested: ParsableArguments {
        @Option var count = 1
        @OptionGroup var threads: ThreadsOption
    }

    struct Probe: ParsableCommand {
        @OptionGroup var nested: Nested
        nonisolated(unsafe) static var threadsSeen = 0
        func run() throws { Self.threadsSeen = Parallelism.threadCount }
    }

    @Test func runnerAppliesThreadsFromNestedGroups() {
        let before = Parallelism.threadCount
        defer { Parallelism.setThreadCount(before) }
        let wanted = before == 3 ? 2 : 3
        let outcome = CommandLineTool.execute(Probe.self, arguments: ["--threads", "\(wanted)"], reportErrors: true)
        #expect(outcome.exitCode == 0)
        #expect(Probe.threadsSeen == wanted)
    }
}
