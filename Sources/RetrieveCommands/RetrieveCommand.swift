import ArgumentParser
import Commands
import Foundation
import NGramRetrieval

/// `retrieve`: n-gram retrieval with an FM-index and a constrained generator (SEAL).
@available(macOS 10.15, *)
public struct RetrieveCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Passage retrieval by generating corpus n-grams (SEAL, Bevilacqua et al. 2022).",
        subcommands: [IndexCommand.self, TrainCommand.self, QueryCommand.self, EvalCommand.self, ServeCommand.self])

    /// Parses the command line and runs the chosen subcommand; errors print one line and exit
    /// non-zero. (Spelled out because top-level code in main.swift resolves `main()` to the
    /// synchronous overload, which refuses async commands.)
    public static func start() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// `retrieve index ...`
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Build retrieval indexes.", subcommands: [IndexBuildCommand.self])
}

/// The index folder option, defaulting to the shipped `assets/retrieve`.
struct IndexLocation: ParsableArguments {
    @Option(name: .long, help: "Index folder (from `retrieve index build`); default: the shipped assets/retrieve.")
    var index: String?

    /// The folder: the option, else `assets/retrieve` in the working directory or above the executable.
    func resolved() throws -> URL {
        if let index { return URL(fileURLWithPath: index) }
        let manager = FileManager.default
        var candidates = [URL(fileURLWithPath: manager.currentDirectoryPath)]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        for candidate in candidates {
            let assets = candidate.appendingPathComponent("assets/retrieve")
            if manager.fileExists(atPath: assets.appendingPathComponent("manifest.json").path) { return assets }
        }
        throw ValidationError("no --index given and no assets/retrieve found (run from the repository root, or build an index)")
    }
}

/// Options that shape one search.
struct SearchOptions: ParsableArguments {
    @OptionGroup var quantization: QuantizeOption
    @Option(name: .long, help: "Beams of the constrained searches.")
    var beams = 10
    @Option(name: .long, help: "Length of generated body n-grams, in tokens.")
    var ngramLength = 10
    @Option(name: .long, help: "Aggregation: intersective (SEAL's full scoring) or sum.")
    var aggregation: Aggregation = .intersective
    @Option(name: .long, help: "Coverage strength beta of intersective scoring.")
    var beta = 0.8
    @Flag(name: .long, help: "Do not generate titles.")
    var noTitles = false
    @Flag(name: .long, help: "Do not add the query's word n-grams as keys.")
    var noQueryKeys = false
    @Flag(name: .long, help: "Do not generate body n-grams.")
    var noBody = false
    @Flag(name: .long, help: "Also use every prefix of generated body n-grams as keys.")
    var bodyPrefixes = false
    @Flag(name: .long, help: "Add SEAL's unigram evidence (the generator's first-token distribution; on in SEAL's code, off here: it hurts small generators).")
    var unigrams = false

    var settings: SearchSettings {
        var settings = SearchSettings()
        settings.beamCount = beams
        settings.bodyLength = ngramLength
        settings.decodeTitles = !noTitles
        settings.decodeBody = !noBody
        settings.queryKeys = !noQueryKeys
        settings.bodyPrefixes = bodyPrefixes
        settings.scoring.aggregation = aggregation
        settings.scoring.beta = beta
        settings.scoring.unigramScores = unigrams
        return settings
    }

    func validate() throws {
        // The options a user can set, named as typed; the library check covers the rest.
        guard (1...100).contains(beams) else { throw ValidationError("--beams must be in 1...100, got \(beams)") }
        guard (1...64).contains(ngramLength) else { throw ValidationError("--ngram-length must be in 1...64, got \(ngramLength)") }
        guard (0...1).contains(beta) else { throw ValidationError("--beta must be in [0, 1], got \(beta)") }
        guard !(noTitles && noBody && noQueryKeys) else {
            throw ValidationError("--no-titles, --no-body and --no-query-keys together leave no keys to search with")
        }
        do { try settings.validate() } catch { throw ValidationError("\(error)") }
    }
}

extension Aggregation: ExpressibleByArgument {}
extension QuerySplit.Part: ExpressibleByArgument {}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Pretty, key-sorted JSON of a JSON-compatible value.
func jsonString(_ value: Any) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

extension SearchOptions {
    /// The retriever of an index folder, with the generator's weights in the `--quantize` format.
    func loadRetriever(_ directory: URL) throws -> Retriever {
        let retriever = try Retriever(directory: directory)
        try quantization.prepare(retriever.generator.model)
        return retriever
    }
}
