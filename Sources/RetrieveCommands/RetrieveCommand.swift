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
        version: NextTokenVersion.string,
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
        commandName: "index", abstract: "Build retrieval indexes and their passage embeddings.", subcommands: [IndexBuildCommand.self, IndexEmbedCommand.self])
}

/// The index folder option, defaulting to the shipped `assets/retrieve`, and the process
/// settings of every command that reads an index.
struct IndexLocation: ParsableArguments {
    @Option(name: .long, help: "Index folder (from `retrieve index build`); default: the shipped assets/retrieve.")
    var index: String?
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    /// The folder: the option, else the shipped index (see ``ShippedModels``).
    func resolved() throws -> URL {
        try ShippedModels.folder("retrieve", marker: "manifest.json", explicit: index)
    }
}

/// Options that shape one search. Each one left out comes from the index's
/// `generator/search.json` (the settings chosen for that generator), else SEAL's default.
struct SearchOptions: ParsableArguments {
    @OptionGroup var quantization: QuantizeOption
    @Option(name: .long, help: "Beams of the constrained searches (default 10).")
    var beams: Int?
    @Option(name: .long, help: "Length of generated body n-grams, in tokens (default 10).")
    var ngramLength: Int?
    @Option(name: .long, help: "Aggregation: intersective (SEAL's full scoring) or sum (default intersective).")
    var aggregation: Aggregation?
    @Option(name: .long, help: "Coverage strength beta of intersective scoring (default 0.8).")
    var beta: Double?
    @Option(name: .long, help: "Exponent alpha on the n-gram weights (SEAL: 2); lower values let several matched n-grams outweigh one strong one.")
    var alpha: Double?
    @Flag(name: .long, inversion: .prefixedNo, help: "Generate titles as keys (SEAL: on).")
    var titles: Bool?
    @Flag(name: .long, inversion: .prefixedNo, help: "Add the query's word n-grams as keys (SEAL: on).")
    var queryKeys: Bool?
    @Flag(name: .long, inversion: .prefixedNo, help: "Generate body n-grams as keys (SEAL: on).")
    var body: Bool?
    @Flag(name: .long, inversion: .prefixedNo,
          help: "Keep query keys made only of stopwords and punctuation, such as \" Who was\" (SEAL: on).")
    var stopwordKeys: Bool?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Ablation: give every query key this log P(n|q) instead of the generator's (e.g. -3), so its weight comes from its corpus frequency alone.",
        valueName: "log-p"))
    var queryKeyLogProbability: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Copy floor for query keys: log P(n|q) becomes log(P(n|q) + e^floor), so rare query words keep a weight (e.g. -6; not in SEAL).",
        valueName: "log-p"))
    var queryKeyFloor: Double?
    @Flag(name: .long, inversion: .prefixedNo, help: "Also use every prefix of generated body n-grams as keys (default off).")
    var bodyPrefixes: Bool?
    @Flag(name: .long, inversion: .prefixedNo,
          help: "SEAL's unigram evidence (the generator's first-token distribution; on in SEAL's code, off by default here: it hurts small generators).")
    var unigrams: Bool?
    @Option(name: .long, help: "Longest query word n-gram used as a key (SEAL: 3).")
    var queryKeyLength: Int?
    @Option(name: .long, help: ArgumentHelp(
        "Surface forms pooled into one query key: as-written (SEAL: each form its own key), case-folded, or stemmed (case forms and corpus words with the same Snowball stem).",
        valueName: "forms"))
    var queryKeyForms: QueryKeyForms?
    @Option(name: .long, help: ArgumentHelp(
        "Scale every generator probability by this weight in (0, 1] (SEAL: 1); with --query-key-floor, query keys get log(w P + e^floor).",
        valueName: "w"))
    var generatorWeight: Double?
    @Option(name: .long, help: ArgumentHelp(
        "BM25's term-frequency saturation on each key's matches in a passage, with length normalisation (e.g. 0.5; 0: SEAL, each key counted once).",
        valueName: "k1"))
    var termSaturation: Double?
    @Option(name: .long, help: ArgumentHelp("BM25's length normalisation inside --term-saturation (default 0.75).", valueName: "b"))
    var lengthNormalization: Double?
    @Option(name: .long, help: ArgumentHelp(
        "What the unconditional P(n) of the n-gram weight counts: tokens (SEAL: corpus occurrences) or documents (passages containing n, BM25's IDF).",
        valueName: "counts"))
    var unconditional: UnconditionalProbability?

    /// The retriever's default settings (its generator's `search.json`) with the options given here.
    func settings(over defaults: SearchSettings) throws -> SearchSettings {
        var settings = defaults
        if let beams { settings.beamCount = beams }
        if let ngramLength { settings.bodyLength = ngramLength }
        if let titles { settings.decodeTitles = titles }
        if let body { settings.decodeBody = body }
        if let queryKeys { settings.queryKeys = queryKeys }
        if let bodyPrefixes { settings.bodyPrefixes = bodyPrefixes }
        if let stopwordKeys { settings.stopwordQueryKeys = stopwordKeys }
        if let queryKeyLogProbability { settings.queryKeyLogProbability = queryKeyLogProbability }
        if let queryKeyFloor { settings.queryKeyFloor = queryKeyFloor }
        if let aggregation { settings.scoring.aggregation = aggregation }
        if let beta { settings.scoring.beta = beta }
        if let alpha { settings.scoring.alpha = alpha }
        if let unigrams { settings.scoring.unigramScores = unigrams }
        if let queryKeyLength { settings.queryKeyLength = queryKeyLength }
        if let queryKeyForms { settings.queryKeyForms = queryKeyForms }
        if let generatorWeight { settings.generatorWeight = generatorWeight }
        if let termSaturation { settings.scoring.termSaturation = termSaturation }
        if let lengthNormalization { settings.scoring.lengthNormalization = lengthNormalization }
        if let unconditional { settings.scoring.unconditional = unconditional }
        // The library check covers what search.json and the options only give together
        // (e.g. every key source off).
        do { try settings.validate() } catch { throw ValidationError("\(error)") }
        return settings
    }

    func validate() throws {
        // The options a user can set, named as typed; the merged settings are checked again.
        if let beams, !(1...100).contains(beams) { throw ValidationError("--beams must be in 1...100, got \(beams)") }
        if let ngramLength, !(1...64).contains(ngramLength) { throw ValidationError("--ngram-length must be in 1...64, got \(ngramLength)") }
        if let beta, !(0...1).contains(beta) { throw ValidationError("--beta must be in [0, 1], got \(beta)") }
        if let alpha, !(alpha > 0 && alpha.isFinite) { throw ValidationError("--alpha must be positive, got \(alpha)") }
        if let queryKeyLength, !(1...5).contains(queryKeyLength) { throw ValidationError("--query-key-length must be in 1...5, got \(queryKeyLength)") }
        if let generatorWeight, !(generatorWeight > 0 && generatorWeight <= 1) {
            throw ValidationError("--generator-weight must be in (0, 1], got \(generatorWeight)")
        }
        if let termSaturation, !(termSaturation >= 0 && termSaturation.isFinite) {
            throw ValidationError("--term-saturation must be >= 0, got \(termSaturation)")
        }
        if let lengthNormalization, !(0...1).contains(lengthNormalization) {
            throw ValidationError("--length-normalization must be in [0, 1], got \(lengthNormalization)")
        }
        if let queryKeyLogProbability, !(queryKeyLogProbability <= 0 && queryKeyLogProbability.isFinite) {
            throw ValidationError("--query-key-log-probability must be a finite log-probability <= 0, got \(queryKeyLogProbability)")
        }
        if let queryKeyFloor, !(queryKeyFloor <= 0 && queryKeyFloor.isFinite) {
            throw ValidationError("--query-key-floor must be a finite log-probability <= 0, got \(queryKeyFloor)")
        }
        guard !(titles == false && body == false && queryKeys == false) else {
            throw ValidationError("--no-titles, --no-body and --no-query-keys together leave no keys to search with")
        }
    }
}

extension Aggregation: ExpressibleByArgument {}
extension QueryKeyForms: ExpressibleByArgument {}
extension UnconditionalProbability: ExpressibleByArgument {}
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
