import FileIO
import Foundation

/// A tokenised icon dataset as written by `icons dataset build`: the grid, the keyword
/// vocabulary, and per icon its name, keywords and SVG tokens (see ``IconTokenizer``).
///
/// ```swift
/// let dataset = try IconDataset.read(from: URL(fileURLWithPath: "icons.dataset.json"))
/// let tokenizer = dataset.tokenizer
/// ```
public struct IconDataset: Codable, Sendable {
    /// One icon.
    public struct Entry: Codable, Sendable, Equatable {
        /// File name or glyph name.
        public var name: String
        /// Where it came from (relative path, `font.svg#glyph`).
        public var source: String
        /// Keyword words (lowercase).
        public var keywords: [String]
        /// SVG tokens, ending with end-of-icon.
        public var tokens: [Int]

        /// Creates an entry.
        public init(name: String, source: String, keywords: [String], tokens: [Int]) {
            (self.name, self.source, self.keywords, self.tokens) = (name, source, keywords, tokens)
        }
    }

    /// The layout version this build writes and reads.
    public static let formatVersion = 1
    /// Layout version of the file; ``read(from:)`` rejects any other.
    public var formatVersion = IconDataset.formatVersion
    /// Side of the coordinate grid W.
    public var gridSize: Int
    /// The keyword vocabulary, in id order (see ``IconTokenizer``).
    public var words: [String]
    /// The icons, in build order.
    public var entries: [Entry]
    /// The build report (counts, skip reasons, histogram, IoU).
    public var report: IconDatasetReport

    /// The tokenizer of this grid and keyword vocabulary.
    public var tokenizer: IconTokenizer { IconTokenizer(gridSize: gridSize, words: words) }

    /// Whether entry `index` is held out for validation (a fixed 2% by hashing the source).
    public func isHeldOut(_ index: Int) -> Bool {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in entries[index].source.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash % 50 == 0
    }

    /// Writes the dataset atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicWrite.data(encoder.encode(self), to: url)
    }

    /// Reads a dataset file.
    ///
    /// - Throws: ``IconError/invalidFile(path:detail:)`` naming the file and what is wrong.
    public static func read(from url: URL) throws -> IconDataset {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IconError.invalidFile(path: url.path, detail: "cannot read the dataset (\(error.localizedDescription)); build one with `icons dataset build DIR -o FILE`")
        }
        let dataset: IconDataset
        do { dataset = try JSONDecoder().decode(IconDataset.self, from: data) } catch {
            throw IconError.invalidFile(path: url.path, detail: "not an icon dataset (\(error))")
        }
        guard dataset.formatVersion == formatVersion else {
            throw IconError.invalidFile(path: url.path, detail: "formatVersion \(dataset.formatVersion); this build reads \(formatVersion)")
        }
        let limit = dataset.tokenizer.vocabularySize
        if let bad = dataset.entries.firstIndex(where: { $0.tokens.contains { $0 < 0 || $0 >= limit } }) {
            throw IconError.invalidFile(path: url.path, detail: "entry \(bad) (\(dataset.entries[bad].name)) has a token outside 0..<\(limit)")
        }
        return dataset
    }
}

/// An icon whose quantised form differs most from its original rendering.
public struct LowIoU: Codable, Sendable, Equatable {
    /// The icon's source (relative path or `font.svg#glyph`).
    public var source: String
    /// Intersection over union of its rendering before and after quantisation.
    public var iou: Double
}

/// What `icons dataset build` did: counts, skip reasons, token lengths and quantisation IoU.
public struct IconDatasetReport: Codable, Sendable, Equatable {
    /// SVG files read.
    public var filesRead = 0
    /// Icons parsed (a font counts once per glyph).
    public var iconsParsed = 0
    /// Icons dropped because their quantised form equals an earlier one (their keywords are merged).
    public var duplicatesRemoved = 0
    /// Entries in the dataset (a split icon counts once per part).
    public var iconsKept = 0
    /// Icons longer than the token limit, split into parts of whole paths (nil in datasets built
    /// before splitting existed, where such icons were skipped).
    public var iconsSplit: Int?
    /// The parts those icons became.
    public var partsFromSplits: Int?
    /// Skip counts by reason ("malformed SVG", "unsupported: <use>", "longer than 512 SVG tokens", ...).
    public var skipped: [String: Int] = [:]
    /// A few examples per reason (file and message).
    public var skipExamples: [String: [String]] = [:]
    /// SVG token lengths in buckets of `histogramBucket` tokens: key = bucket start.
    public var lengthHistogram: [Int: Int] = [:]
    /// Width of the histogram buckets, in tokens.
    public var histogramBucket = 64
    /// Mean SVG tokens per kept icon.
    public var meanTokens = 0.0
    /// Median SVG tokens per kept icon.
    public var medianTokens = 0
    /// Icons whose IoU was measured, their mean and the share with IoU >= 0.95.
    public var iouMeasured = 0
    /// Mean IoU of the measured icons.
    public var meanIoU = 0.0
    /// Share of the measured icons with IoU >= 0.95.
    public var shareIoUAtLeast095 = 0.0
    /// The icons with the lowest quantisation IoU (source and IoU), worst first.
    public var lowestIoU: [LowIoU] = []
    /// Keyword words in the vocabulary (those seen in at least `minimumWordCount` icons).
    public var vocabularyWords = 0
    /// Kept icons per top-level subfolder (`.` for files at the top or a single file).
    public var sources: [String: Int] = [:]

    mutating func skip(_ reason: String, _ example: String) {
        skipped[reason, default: 0] += 1
        if skipExamples[reason, default: []].count < 3 { skipExamples[reason, default: []].append(example) }
    }

    /// A human-readable summary.
    public var text: String {
        var lines = ["files read: \(filesRead)", "icons parsed: \(iconsParsed)",
                     "duplicates removed: \(duplicatesRemoved)", "icons kept: \(iconsKept)",
                     "icons split into parts of whole paths: \(iconsSplit ?? 0) (into \(partsFromSplits ?? 0) parts)",
                     "vocabulary words: \(vocabularyWords)"]
        for (source, count) in sources.sorted(by: { $0.key < $1.key }) { lines.append("  from \(source): \(count)") }
        lines.append("skipped: \(skipped.values.reduce(0, +))")
        for (reason, count) in skipped.sorted(by: { $0.value > $1.value }) {
            lines.append("  \(count)  \(reason)  e.g. \(skipExamples[reason]?.first ?? "")")
        }
        lines.append(String(format: "SVG tokens per icon: mean %.1f, median %d", meanTokens, medianTokens))
        let peak = max(lengthHistogram.values.max() ?? 1, 1)
        for (start, count) in lengthHistogram.sorted(by: { $0.key < $1.key }) {
            let bar = String(repeating: "#", count: max(1, count * 40 / peak))
            lines.append(String(format: "  %4d-%4d %6d %@", start, start + histogramBucket - 1, count, bar))
        }
        lines.append(String(format: "quantisation IoU (%d icons): mean %.4f, %.2f%% with IoU >= 0.95",
                            iouMeasured, meanIoU, 100 * shareIoUAtLeast095))
        for low in lowestIoU.prefix(5) { lines.append(String(format: "  IoU %.3f  %@", low.iou, low.source)) }
        return lines.joined(separator: "\n")
    }
}
