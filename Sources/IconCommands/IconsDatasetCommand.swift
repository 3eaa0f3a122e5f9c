import ArgumentParser
import Commands
import Foundation
import IconSynthesis

/// `icons dataset build DIR -o FILE`.
struct IconsDatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Build tokenised icon datasets.", subcommands: [Build.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Parse, quantise and tokenise a folder of SVG files and SVG fonts (keywords.json optional).")

        @Argument(help: "Folder of .svg files (searched recursively).") var folder: String
        @Option(name: [.customShort("o"), .long], help: "The dataset file to write (JSON).") var output: String
        @Option(help: "Grid size W of the quantised coordinates.") var grid = 200
        @Option(help: "Split icons with more SVG tokens than this into parts of whole paths.") var maxTokens = 1000
        @Option(help: "Render size of the quantisation IoU check (0 skips it).") var iouSize = 96
        @Option(help: "Skip icons whose quantised form has a lower IoU with the original (0 keeps all).") var minIou = 0.0
        @Flag(help: "Print the report as JSON on stdout.") var json = false
        @OptionGroup var threads: ThreadsOption
        @OptionGroup var quiet: QuietOption

        func run() throws {
            var builder = try IconDatasetBuilder(gridSize: grid, maxSVGTokens: maxTokens)
            builder.iouSize = iouSize
            guard (0...1).contains(minIou) else { throw IconError.invalidArgument(name: "--min-iou", detail: "must be in [0, 1], got \(minIou)") }
            builder.minimumIoU = minIou
            let start = Date()
            let dataset = try builder.build(folder: URL(fileURLWithPath: folder)) { done, total in
                FileHandle.standardError.write(Data("files \(done)/\(total) elapsed=\(Int(Date().timeIntervalSince(start)))s\n".utf8))
            } warning: { message in
                FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
            }
            try dataset.write(to: URL(fileURLWithPath: output))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(dataset.report), as: UTF8.self))
            } else {
                print(dataset.report.text)
                print("wrote \(output)")
            }
        }
    }
}
