import ArgumentParser
import Commands
import ForecastCommands
import IconCommands
import ImageCommands
import LanguageModelCommands
import RetrieveCommands
import Testing

/// Every trainer takes its run options from the one ``RunOptions`` group: `--help` of each
/// lists `--resume`, `--max-minutes` and `--checkpoint-every` with the same text.
struct RunOptionsTests {
    /// The six trainers (lm, icons, forecast, images generator, images tokenizer, retrieve generator)
    /// as their tools' arguments, with the `--help` each prints.
    static let trainers: [(name: String, help: String)] = [
        ("lm train", help(LanguageModelCommand.self, ["train"])),
        ("icons train", help(IconsCommand.self, ["train"])),
        ("forecast train", help(ForecastCommand.self, ["train"])),
        ("images train", help(ImagesCommand.self, ["train"])),
        ("images tokenizer train", help(ImagesCommand.self, ["tokenizer", "train"])),
        ("retrieve train", help(RetrieveCommand.self, ["train"])),
    ]

    static func help<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) -> String {
        do {
            // `--help` parses to a help command, which throws the help request when run.
            var command = try root.parseAsRoot(arguments + ["--help"])
            try command.run()
            return ""
        } catch {
            return root.fullMessage(for: error)
        }
    }

    /// The option's entry in `help`: its line and the indented lines continuing it, with runs
    /// of spaces and line breaks as one space; nil when `help` does not list the option.
    static func entry(_ option: String, in help: String) -> String? {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: {
            let words = $0.split(separator: " ")
            return $0.hasPrefix("  -") && words.contains { $0 == option || $0 == option + "," }
        }) else { return nil }
        var entry = [lines[start]]
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("      "), !line.trimmingPrefix(while: { $0 == " " }).hasPrefix("-") else { break }
            entry.append(line)
        }
        return entry.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    @Test(arguments: ["--resume", "--max-minutes", "--checkpoint-every"])
    func everyTrainerListsTheSharedRunOption(_ option: String) throws {
        let entries = Self.trainers.map { (name: $0.name, entry: Self.entry(option, in: $0.help)) }
        for (name, entry) in entries { #expect(entry != nil, "\(name) --help does not list \(option)") }
        let reference = try #require(entries[0].entry)
        #expect(reference.count > option.count + 20, "\(reference)")
        for (name, entry) in entries.dropFirst() {
            #expect(entry == reference, "\(name): \(entry ?? "-")\nlm train: \(reference)")
        }
    }
}
