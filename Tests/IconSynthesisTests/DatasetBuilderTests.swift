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
        #expect(report.skipped["longer than 200 SVG tokens"] == 1)
        // square-outline, box-copy (a duplicate of it), the font's box (same square? no: 1..9 of 10 vs 1..9 of 10 -> same grid), triangle, arrow-up.
        #expect(report.duplicatesRemoved >= 1)
        #expect(report.iconsKept == dataset.entries.count)
        let triangle = try #require(dataset.entries.first { $0.name == "triangle" })
        #expect(triangle.keywords == ["triangle", "warning", "sign"])
        let square0 = try #require(dataset.entries.first { $0.name == "square-outline" })
        #expect(square0.keywords.contains("box") && square0.keywords.contains("copy"))
        #expect(dataset.entries.contains { $0.source == "fonts/glyphs.svg#arrow-up" })
        #expect(report.shareIoUAtLeast095 == 1)
        // Written and read back.
        let file = folder.appendingPathComponent("out.json")
        try dataset.write(to: file)
        let read = try IconDataset.read(from: file)
        #expect(read.entries == dataset.entries)
        for entry in read.entries { #expect(try read.tokenizer.decode(entry.tokens).paths.count >= 1) }
    }

    @Test func unreadableDatasetIsAClearError() throws {
        let folder = try makeFolder(["bad.json": "{\"formatVersion\": 1}"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: IconError.self) { try IconDataset.read(from: folder.appendingPathComponent("bad.json")) }
        #expect(throws: IconError.self) { try IconDataset.read(from: folder.appendingPathComponent("missing.json")) }
        #expect(throws: IconError.self) { try IconDatasetBuilder().build(folder: folder) }
    }
}
