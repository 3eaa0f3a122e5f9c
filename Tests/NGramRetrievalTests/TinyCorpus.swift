import Foundation
import NGramRetrieval
import NeuralNetworks
import Tensors

/// A dozen inline passages, a BPE trained on them, and a tiny untrained generator.
enum TinyCorpus {
    static let passages: [Passage] = [
        Passage(id: "p0", title: "Super_Bowl_50", text: "The Denver Broncos defeated the Carolina Panthers to win Super Bowl 50."),
        Passage(id: "p1", title: "Super_Bowl_50", text: "The game was played at Levi's Stadium in Santa Clara, California."),
        Passage(id: "p2", title: "Warsaw", text: "Warsaw is the capital and largest city of Poland."),
        Passage(id: "p3", title: "Warsaw", text: "The Vistula river flows through Warsaw from south to north."),
        Passage(id: "p4", title: "Normans", text: "The Normans gave their name to Normandy, a region in France."),
        Passage(id: "p5", title: "Normans", text: "Rollo was the first ruler of Normandy and a Viking leader."),
        Passage(id: "p6", title: "Amazon_rainforest", text: "The Amazon rainforest covers most of the Amazon basin of South America."),
        Passage(id: "p7", title: "Amazon_rainforest", text: "The rainforest holds the largest number of tree species on Earth."),
        Passage(id: "p8", title: "Oxygen", text: "Oxygen is a chemical element with symbol O and atomic number 8."),
        Passage(id: "p9", title: "Oxygen", text: "Joseph Priestley and Carl Scheele discovered oxygen in the 1770s."),
        Passage(id: "p10", title: "Steam_engine", text: "A steam engine uses steam to do mechanical work."),
        Passage(id: "p11", title: "Steam_engine", text: "James Watt improved the steam engine with a separate condenser."),
    ]

    static let tokenizer: PassageTokenizer = try! PassageTokenizer.train(on: passages, vocabularySize: 400)

    static let index: RetrievalIndex = try! RetrievalIndex(passages: passages, tokenizer: tokenizer)

    static func generator(seed: UInt64 = 3) throws -> NGramGenerator {
        var configuration = DecoderConfiguration()
        configuration.vocabularySize = tokenizer.vocabularySize
        configuration.hiddenSize = 32
        configuration.layerCount = 1
        configuration.headCount = 2
        configuration.contextLength = 96
        var generator = SeededGenerator(seed: seed)
        return NGramGenerator(model: try DecoderTransformer(configuration: configuration, generator: &generator))
    }

    /// Runs `body` with a fresh temporary folder and removes the folder afterwards, whatever happens.
    static func withTemporaryDirectory<T>(_ name: String, _ body: (URL) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ngram-retrieval-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }
}
