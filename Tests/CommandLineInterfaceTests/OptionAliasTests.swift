import ArgumentParser
import Commands
import ForecastCommands
import Foundation
import IconCommands
import ImageCommands
import LanguageModelCommands
import Testing

/// Every older spelling of an option parses to exactly what the current spelling parses to,
/// and `--help` lists only the current spelling.
struct OptionAliasTests {
    /// One renamed option: `base + [old, value]` must parse like `base + [new, value]`.
    struct Alias: CustomStringConvertible, Sendable {
        let tool: String
        let base: [String]
        let old: String
        let new: String
        let value: String
        /// Another valid value, which must parse differently (the comparison sees the value).
        let other: String
        var description: String { "\(tool) \(base.first ?? "") \(old) -> \(new)" }
    }

    /// `FILE` is replaced by an existing file, `CSV` by a CSV file, `DIR` by a fresh folder path.
    static let aliases: [Alias] = [
        Alias(tool: "lm", base: ["train", "-o", "DIR"], old: "--text", new: "--data", value: "FILE", other: "CSV"),
        Alias(tool: "lm", base: ["train", "--data", "FILE", "-o", "DIR"], old: "--checkpoint-interval", new: "--checkpoint-every", value: "7", other: "8"),
        Alias(tool: "lm", base: ["train", "--data", "FILE", "-o", "DIR"], old: "--validation-interval", new: "--validate-every", value: "7", other: "8"),
        Alias(tool: "lm", base: ["train", "--data", "FILE", "-o", "DIR"], old: "--log-interval", new: "--log-every", value: "7", other: "8"),
        Alias(tool: "lm", base: ["train", "--data", "FILE", "-o", "DIR"], old: "--vocab", new: "--vocabulary-size", value: "300", other: "400"),
        Alias(tool: "icons", base: ["train", "--data", "FILE"], old: "--out", new: "--output", value: "DIR", other: "DIR2"),
        Alias(tool: "icons", base: ["train", "--data", "FILE", "-o", "DIR"], old: "--hidden", new: "--hidden-size", value: "64", other: "32"),
        Alias(tool: "icons", base: ["generate", "camera"], old: "--out", new: "--output", value: "DIR", other: "DIR2"),
        Alias(tool: "icons", base: ["edit", "FILE", "--path", "0"], old: "--out", new: "-o", value: "DIR", other: "DIR2"),
        Alias(tool: "forecast", base: ["train", "-o", "DIR"], old: "--input", new: "--data", value: "CSV", other: "FILE"),
        Alias(tool: "forecast", base: ["predict", "--horizon", "3"], old: "--input", new: "--data", value: "CSV", other: "FILE"),
        Alias(tool: "forecast", base: ["eval", "--baselines"], old: "--input", new: "--data", value: "CSV", other: "FILE"),
        Alias(tool: "forecast", base: ["train", "--data", "CSV", "-o", "DIR"], old: "--width", new: "--hidden-size", value: "16", other: "32"),
        Alias(tool: "forecast", base: ["train", "--data", "CSV", "-o", "DIR"], old: "--validation-interval", new: "--validate-every", value: "5", other: "6"),
        Alias(tool: "images", base: ["train", "--data", "DIR"], old: "--initialize", new: "--init-from", value: "FILE", other: "CSV"),
    ]

    /// Parses `arguments` with the tool's root command; the parsed command's reflection holds
    /// every option's value.
    static func parse(_ tool: String, _ arguments: [String]) throws -> String {
        let command: ParsableCommand
        switch tool {
        case "lm": command = try LanguageModelCommand.parseAsRoot(arguments)
        case "icons": command = try IconsCommand.parseAsRoot(arguments)
        case "forecast": command = try ForecastCommand.parseAsRoot(arguments)
        case "images": command = try ImagesCommand.parseAsRoot(arguments)
        default: throw CommandFailure("unknown tool \(tool)")
        }
        return String(reflecting: command)
    }

    static func help(_ tool: String, _ subcommand: [String]) -> String {
        let arguments = subcommand + ["--help"]
        switch tool {
        case "lm": return LanguageModelCommand.fullMessage(for: catchError { try LanguageModelCommand.parseAsRoot(arguments) })
        case "icons": return IconsCommand.fullMessage(for: catchError { try IconsCommand.parseAsRoot(arguments) })
        case "forecast": return ForecastCommand.fullMessage(for: catchError { try ForecastCommand.parseAsRoot(arguments) })
        default: return ImagesCommand.fullMessage(for: catchError { try ImagesCommand.parseAsRoot(arguments) })
        }
    }

    /// The error that parsing `--help` (and running what it parsed to) throws: the help request.
    static func catchError(_ body: () throws -> ParsableCommand) -> any Error {
        do {
            var command = try body()
            try command.run()
            return CommandFailure("no help requested")
        } catch {
            return error
        }
    }

    /// Replaces the placeholders with paths in `folder` (files created).
    static func resolve(_ words: [String], in folder: URL) throws -> [String] {
        let file = folder.appendingPathComponent("input.txt"), csv = folder.appendingPathComponent("series.csv")
        try "some text".write(to: file, atomically: true, encoding: .utf8)
        try "value\n1\n2\n".write(to: csv, atomically: true, encoding: .utf8)
        let names = ["FILE": file.path, "CSV": csv.path, "DIR": folder.appendingPathComponent("out").path,
                     "DIR2": folder.appendingPathComponent("other").path]
        return words.map { names[$0] ?? $0 }
    }

    @Test(arguments: aliases)
    func oldSpellingParsesLikeTheNewOne(_ alias: Alias) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alias-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try Self.resolve(alias.base, in: folder)
        let value = try Self.resolve([alias.value], in: folder)[0], other = try Self.resolve([alias.other], in: folder)[0]
        let old = try Self.parse(alias.tool, base + [alias.old, value])
        let new = try Self.parse(alias.tool, base + [alias.new, value])
        #expect(old == new)
        #expect(try Self.parse(alias.tool, base + [alias.new, other]) != new, "the comparison must see the option's value")
    }

    @Test(arguments: aliases)
    func helpListsOnlyTheNewSpelling(_ alias: Alias) throws {
        let help = Self.help(alias.tool, [alias.base[0]])
        #expect(help.contains(alias.new), "\(help)")
        #expect(help.range(of: "\(alias.old)(?![a-z-])", options: .regularExpression) == nil, "\(help)")
    }

    @Test func bothSpellingsWithDifferentValuesAreRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alias-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = try Self.resolve(["train", "--data", "FILE", "-o", "DIR", "--log-every", "3", "--log-interval", "4"], in: folder)
        let outcome = CommandLineTool.execute(LanguageModelCommand.self, arguments: arguments)
        #expect(outcome.exitCode == 64)
        #expect(outcome.errorMessage?.contains("--log-every") == true && outcome.errorMessage?.contains("--log-interval") == true)
    }
}
