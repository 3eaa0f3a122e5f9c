import Foundation

/// Turns a folder of SVG files and SVG fonts into an ``IconDataset``: parse, quantise,
/// check the quantisation by raster IoU, tokenise, drop duplicates, count what was skipped.
///
/// Keywords come from the file (or glyph) name and, when the folder holds a `keywords.json`
/// object mapping relative paths (or `font.svg#glyph`) to keyword lists, from there too.
///
/// ```swift
/// var builder = try IconDatasetBuilder(gridSize: 200, maxSVGTokens: 512)
/// let dataset = try builder.build(folder: URL(fileURLWithPath: "data/icons")) { done, total in }
/// ```
public struct IconDatasetBuilder {
    /// Snaps parsed geometry to the grid.
    public var quantizer: IconQuantizer
    /// Icons with more SVG tokens are split into parts of whole paths (skipped when one path
    /// alone is longer).
    public var maxSVGTokens: Int
    /// Render size of the IoU check; 0 skips the check.
    public var iouSize = 96
    /// Icons whose quantised form has a lower IoU with the original are skipped (0 keeps all).
    public var minimumIoU = 0.0
    /// Keep words seen in at least this many icons.
    public var minimumWordCount = 2

    /// A builder for a `gridSize` grid that splits icons longer than `maxSVGTokens` tokens.
    ///
    /// - Throws: ``IconError/invalidArgument(name:detail:)`` unless `2 <= gridSize <= 1024` and
    ///   `maxSVGTokens >= 8`.
    public init(gridSize: Int = 200, maxSVGTokens: Int = 512) throws {
        quantizer = try IconQuantizer(gridSize: gridSize)
        guard maxSVGTokens >= 8 else { throw IconError.invalidArgument(name: "--max-tokens", detail: "must be >= 8, got \(maxSVGTokens)") }
        self.maxSVGTokens = maxSVGTokens
    }

    /// `icon` as consecutive groups of whole paths, each at most `maxTokens` SVG tokens long
    /// (with its end-of-icon token); empty when one path alone is longer.
    static func split(_ icon: QuantizedIcon, maxTokens: Int, tokenizer: IconTokenizer) -> [QuantizedIcon] {
        var parts: [QuantizedIcon] = []
        var current: [[GridCommand]] = []
        var length = 1  // end-of-icon
        for path in icon.paths {
            let pathLength = tokenizer.encode(path: path).count
            guard pathLength + 1 <= maxTokens else { return [] }
            if length + pathLength > maxTokens {
                parts.append(QuantizedIcon(gridSize: icon.gridSize, paths: current))
                (current, length) = ([], 1)
            }
            current.append(path)
            length += pathLength
        }
        if !current.isEmpty { parts.append(QuantizedIcon(gridSize: icon.gridSize, paths: current)) }
        return parts
    }

    /// The SVG files below `folder`, sorted (so builds are reproducible).
    static func svgFiles(in folder: URL) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue,
              let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
            throw IconError.invalidFile(path: folder.path, detail: "not a readable folder")
        }
        return enumerator.compactMap { $0 as? String }.filter { $0.lowercased().hasSuffix(".svg") }.sorted()
    }

    /// Builds the dataset; `progress(done, total)` is called every few files, and
    /// `warning(message)` once for each file skipped as unreadable or malformed (a line naming
    /// the file and what is wrong with it; such files are also counted in the report).
    public func build(folder: URL, progress: (Int, Int) -> Void = { _, _ in },
                      warning: (String) -> Void = { _ in }) throws -> IconDataset {
        let files = try Self.svgFiles(in: folder)
        guard !files.isEmpty else { throw IconError.invalidFile(path: folder.path, detail: "contains no .svg files") }
        var metadata: [String: [String]] = [:]
        let metadataURL = folder.appendingPathComponent("keywords.json")
        if FileManager.default.fileExists(atPath: metadataURL.path) {
            guard let decoded = try? JSONDecoder().decode([String: [String]].self, from: Data(contentsOf: metadataURL)) else {
                throw IconError.invalidFile(path: metadataURL.path, detail: "must be a JSON object of \"relative/path.svg\": [\"keyword\", ...]")
            }
            metadata = decoded
        }
        var report = IconDatasetReport()
        var entries: [IconDataset.Entry] = []
        var icons: [QuantizedIcon] = []
        var indexByIcon: [QuantizedIcon: Int] = [:]
        var ious: [Double] = []
        var iouSources: [String] = []
        let provisional = IconTokenizer(gridSize: quantizer.gridSize, words: [])
        for (fileIndex, file) in files.enumerated() {
            if fileIndex % 200 == 0 { progress(fileIndex, files.count) }
            report.filesRead += 1
            let parsed: [ParsedIcon]
            do {
                parsed = try SVGParser.parse(try Data(contentsOf: folder.appendingPathComponent(file)), file: file)
            } catch let error as IconError {
                report.skip(error.skipReason, error.description)
                if case .malformedSVG = error { warning(error.description.replacingOccurrences(of: "\n", with: " ") + " (skipped)") }
                continue
            } catch {
                report.skip("unreadable file", "\(file): \(error.localizedDescription)")
                warning("\(file): cannot read (\(error.localizedDescription)) (skipped)")
                continue
            }
            let isFont = parsed.count > 1 || file.contains("webfont")
            for icon in parsed {
                report.iconsParsed += 1
                let source = isFont ? "\(file)#\(icon.name)" : file
                let quantized = quantizer.quantize(icon.paths)
                guard !quantized.paths.isEmpty else { report.skip("no drawable content after quantisation", source); continue }
                let tokens = provisional.encode(quantized)
                var keywords = IconTokenizer.words(in: icon.name)
                for extra in metadata[source] ?? metadata[file] ?? [] { keywords += IconTokenizer.words(in: extra) }
                keywords = keywords.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                if let existing = indexByIcon[quantized] {
                    report.duplicatesRemoved += 1
                    for word in keywords where !entries[existing].keywords.contains(word) { entries[existing].keywords.append(word) }
                    continue
                }
                let parts = tokens.count <= maxSVGTokens ? [quantized] : Self.split(quantized, maxTokens: maxSVGTokens, tokenizer: provisional)
                guard !parts.isEmpty else { report.skip("a path longer than \(maxSVGTokens) SVG tokens", source); continue }
                if iouSize > 0 {
                    let iou: Double
                    do { iou = try IconRaster.quantisationIoU(icon, quantized: quantized, size: iouSize) } catch {
                        report.skip("librsvg cannot render the original", source)
                        continue
                    }
                    guard iou >= minimumIoU else {
                        report.skip("quantisation IoU below \(minimumIoU)", source)
                        continue
                    }
                    ious.append(iou)
                    iouSources.append(source)
                }
                if parts.count > 1 {
                    report.iconsSplit = (report.iconsSplit ?? 0) + 1
                    report.partsFromSplits = (report.partsFromSplits ?? 0) + parts.count
                }
                indexByIcon[quantized] = entries.count
                let group = source.split(separator: "/").first.map(String.init) ?? "."
                for (number, part) in parts.enumerated() {
                    if parts.count > 1, let existing = indexByIcon[part] {
                        for word in keywords where !entries[existing].keywords.contains(word) { entries[existing].keywords.append(word) }
                        continue
                    }
                    indexByIcon[part] = entries.count
                    icons.append(part)
                    report.sources[files.count > 1 && source.contains("/") ? group : ".", default: 0] += 1
                    let name = parts.count > 1 ? "\(icon.name) (part \(number + 1) of \(parts.count))" : icon.name
                    entries.append(.init(name: name, source: source, keywords: keywords, tokens: provisional.encode(part)))
                }
            }
        }
        progress(files.count, files.count)
        guard !entries.isEmpty else { throw IconError.invalidFile(path: folder.path, detail: "no usable icon (skipped: \(report.skipped))") }

        var wordCounts: [String: Int] = [:]
        for entry in entries { for word in entry.keywords { wordCounts[word, default: 0] += 1 } }
        let words = wordCounts.filter { $0.value >= minimumWordCount }.keys.sorted()
        // Re-encode with the final vocabulary: coordinate ids move when words are added.
        let tokenizer = IconTokenizer(gridSize: quantizer.gridSize, words: words)
        for i in entries.indices { entries[i].tokens = tokenizer.encode(icons[i]) }

        report.iconsKept = entries.count
        report.vocabularyWords = words.count
        let lengths = entries.map(\.tokens.count).sorted()
        report.meanTokens = Double(lengths.reduce(0, +)) / Double(lengths.count)
        report.medianTokens = lengths[lengths.count / 2]
        for length in lengths { report.lengthHistogram[length / report.histogramBucket * report.histogramBucket, default: 0] += 1 }
        if !ious.isEmpty {
            report.iouMeasured = ious.count
            report.meanIoU = ious.reduce(0, +) / Double(ious.count)
            report.shareIoUAtLeast095 = Double(ious.filter { $0 >= 0.95 }.count) / Double(ious.count)
            report.lowestIoU = zip(iouSources, ious).sorted { $0.1 < $1.1 }.prefix(20).map { LowIoU(source: $0.0, iou: $0.1) }
        }
        return IconDataset(gridSize: quantizer.gridSize, words: words, entries: entries, report: report)
    }
}
