import Foundation
import IconSynthesis
import Testing

@Suite struct DatasetBuilderTests {
    func makeFolder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("icons-\(UUID().uuidString)")
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    @Test func buildCountsSkipsDuplicatesAndKeywords() throws {
        let square = "<svg viewBox='0 0 10 10'><rect x='1' y='1' width='8' height='8'/></svg>"
        let font = """
            <svg><defs><font horiz-adv-x="10"><font-face units-per-em="10" ascent="10" descent="0"/>
            <glyph glyph-name="arrow-up" d="M1 1L9 1L5 9Z"/><glyph glyph-name="box" d="M1 1H9V9H1Z"/></font></defs></svg>
            """
        let folder = try makeFolder([
            "a/square-outline.svg": square,
            "b/box-copy.svg": square,                                    // duplicate of square-outline
            "a/triangle.svg": "<svg viewBox='0 0 10 10'><polygon points='1 1 9 1 5 9'/></svg>",
            "a/broken.svg": "<svg viewBox='0 0 10 10'><path d='M0 0L'/></svg>",
            "a/uses.svg": "<svg viewBox='0 0 10 10'><use href='#x'/></svg>",
            "a/empty.svg": "<svg viewBox='0 0 10 10'/>",
            "a/long.svg": "<svg viewBox='0 0 100 100'><path d='\((0..<40).map { "M\($0) 0L\($0) 50L\($0 + 1) 0Z" }.joined())'/></svg>",
            "fonts/glyphs.svg": font,
            "keywords.json": #"{"a/triangle.svg": ["warning sign"]}"#,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        var builder = try IconDatasetBuilder(gridSize: 50, maxSVGTokens: 200)
        builder.minimumWordCount = 1
        let dataset = try builder.build(folder: folder)
        let report = dataset.report
        #expect(report.filesRead == 8)
        #expect(report.skipped["malformed SVG"] == 1)
        #expect(report.skipped["no drawable content"] == 1)
        #expect(report.skipped.keys.contains { $0.hasPrefix("unsupported: <use>") })
        #expect(report.iconsSplit == 1)
        let longParts = dataset.entries.filter { $0.source == "a/long.svg" }
        #expect(longParts.count >= 2 && longParts.count == report.partsFromSplits)
        #expect(longParts.allSatisfy { $0.tokens.count <= 200 && $0.name.hasPrefix("long (part ") })
        // The parts are the whole icon's paths, in order.
        builder.maxSVGTokens = 10_000
        let unsplit = try builder.build(folder: folder)
        let whole = try #require(unsplit.entries.first { $0.source == "a/long.svg" })
        let wholePaths = try unsplit.tokenizer.decode(whole.tokens).paths
        #expect(wholePaths.count > 30)
        #expect(try longParts.flatMap { try dataset.tokenizer.decode($0.tokens).paths } == wholePaths)
        builder.maxSVGTokens = 200
        // square-outline, box-copy (a duplicate of it), the font's box (same square? no: 1..9 of 10 vs 1..9 of 10 -> same grid), triangle, arrow-up.
        #expect(report.duplicatesRemoved >= 1)
        #expect(report.iconsKept == dataset.entries.count)
        let triangle = try #require(dataset.entries.first { $0.name == "triangle" })
        #expect(triangle.keywords == ["triangle", "warning", "sign"])
        let square0 = try #require(dataset.entries.first { $0.name == "square-outline" })
        #expect(square0.keywords.contains("box") && square0.keywords.contains("copy"))
        #expect(dataset.entries.contains { $0.source == "fonts/glyphs.svg#arrow-up" })
        #expect(report.lowestIoU.filter { $0.source != "a/long.svg" }.allSatisfy { $0.iou >= 0.95 })
        // Written and read back.
        let file = folder.appendingPathComponent("out.json")
        try dataset.write(to: file)
        let read = try IconDataset.read(from: file)
        #expect(read.entries == dataset.entries)
        for entry in read.entries { #expect(try read.tokenizer.decode(entry.tokens).paths.count >= 1) }
    }

    @Test func onePathLongerThanTheLimitIsSkipped() throws {
        let points = (0..<120).map { "\($0 % 50) \(($0 * 7) % 50)" }.joined(separator: " ")
        let folder = try makeFolder(["zigzag.svg": "<svg viewBox='0 0 50 50'><polygon points='\(points)'/></svg>",
                                     "square.svg": "<svg viewBox='0 0 10 10'><rect x='1' y='1' width='8' height='8'/></svg>"])
        defer { try? FileManager.default.removeItem(at: folder) }
        var builder = try IconDatasetBuilder(gridSize: 50, maxSVGTokens: 200)
        builder.minimumWordCount = 1
        let dataset = try builder.build(folder: folder)
        #expect(dataset.report.skipped["a path longer than 200 SVG tokens"] == 1)
        #expect(dataset.entries.map(\.name) == ["square"])
    }

    @Test func quantisationCheckIgnoresColourAndDropsBadQuantisations() throws {
        // A light icon (drawn for dark panels) and a semi-transparent one are ink like a black one.
        let folder = try makeFolder([
            "light.svg": "<svg viewBox='0 0 10 10'><rect x='1' y='1' width='8' height='5' fill='#eeeeee'/></svg>",
            "faint.svg": "<svg viewBox='0 0 10 10'><circle cx='5' cy='5' r='4' fill='#2e3436' fill-opacity='0.5'/></svg>",
            // Two overlapping squares: the even-odd single path leaves their overlap as a hole.
            "overlap.svg": "<svg viewBox='0 0 10 10'><rect x='0' y='0' width='7' height='7'/><rect x='3' y='3' width='7' height='7'/></svg>",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        var builder = try IconDatasetBuilder(gridSize: 50, maxSVGTokens: 200)
        builder.minimumWordCount = 1
        let all = try builder.build(folder: folder)
        #expect(all.report.iconsKept == 3)
        #expect(all.report.lowestIoU.first?.source == "overlap.svg")
        #expect(all.report.lowestIoU.filter { $0.source != "overlap.svg" }.allSatisfy { $0.iou > 0.9 })
        builder.minimumIoU = 0.9
        let filtered = try builder.build(folder: folder)
        #expect(filtered.entries.map(\.name).sorted() == ["faint", "light"])
        #expect(filtered.report.skipped["quantisation IoU below 0.9"] == 1)
    }

    @Test func unreadableDatasetIsAClearError() throws {
        let folder = try makeFolder(["bad.json": "{\"formatVersion\": 1}"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: IconError.self) { try IconDataset.read(from: folder.appendingPathComponent("bad.json")) }
        #expect(throws: IconError.self) { try IconDataset.read(from: folder.appendingPathComponent("missing.json")) }
        #expect(throws: IconError.self) { try IconDatasetBuilder().build(folder: folder) }
    }
}
