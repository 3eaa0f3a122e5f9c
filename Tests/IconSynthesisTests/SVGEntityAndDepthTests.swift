import Foundation
import IconSynthesis
import Testing
import TestSupport

/// Illustrator-style DOCTYPEs with internal entities parse as librsvg reads them, and hostile
/// documents (deep nesting, entity bombs, external entities) end in a `malformedSVG` error.
@Suite struct SVGEntityAndDepthTests {
    /// `depth` nested `<g>` elements around a square, inside `<svg>`.
    static func nested(_ depth: Int) -> Data {
        Data(document(String(repeating: "<g>", count: depth) + "<rect x='10' y='10' width='80' height='80'/>"
                      + String(repeating: "</g>", count: depth)).utf8)
    }

    func malformedDetail(_ data: Data) -> String? {
        do {
            _ = try SVGParser.parse(data, file: "hostile.svg")
            return nil
        } catch IconError.malformedSVG(let file, let detail) {
            #expect(file == "hostile.svg")
            return detail
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func illustratorExportParsesLikeThePlainFile() throws {
        let exported = try Data(contentsOf: TestFixtures.url("svg/illustrator-entities.svg"))
        let plain = try Data(contentsOf: TestFixtures.url("svg/illustrator-plain.svg"))
        let exportedIcon = try #require(try SVGParser.parse(exported, file: "illustrator-entities.svg").first)
        let plainIcon = try #require(try SVGParser.parse(plain, file: "illustrator-plain.svg").first)
        #expect(exportedIcon.paths.count == 4)  // ring (two sub-paths), bar, dot
        #expect(exportedIcon.paths == plainIcon.paths)
        // librsvg (which resolves the entities itself) draws the same picture.
        let exportedMask = try IconRaster.mask(exported, size: 48), plainMask = try IconRaster.mask(plain, size: 48)
        #expect(exportedMask.filter { $0 }.count > 100)
        #expect(IconRaster.intersectionOverUnion(exportedMask, plainMask) > 0.999)
    }

    @Test func entitiesExpandInAttributesAndContent() throws {
        let literal = try parseOne(document("<path d='M10 10H90V90H10z'/><rect x='20' y='20' width='10' height='10'/>"))
        let viaEntities = try parseOne("""
            <!DOCTYPE svg [
              <!ENTITY ten "10">
              <!ENTITY ninety "9&#48;">
              <!ENTITY square "M&ten; &ten;H&ninety;V&ninety;H&ten;z">
              <!ENTITY % ignored "parameter entities are not expanded">
              <!ENTITY box "<rect x='20' y='20' width='&ten;' height='&ten;'/>">
              <!ATTLIST svg xmlns CDATA #FIXED "http://www.w3.org/2000/svg">
              <!-- a comment with ]> inside -->
            ]>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><path d="&square;"/>&box;</svg>
            """)
        #expect(viaEntities.paths == literal.paths)
    }

    @Test func entityBombsAndExternalEntitiesAreRefused() throws {
        var laughs = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 { laughs += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">" }
        let bomb = Data("<!DOCTYPE svg [\(laughs)]><svg viewBox='0 0 1 1' id='&lol9;'><rect width='1' height='1'/></svg>".utf8)
        let started = Date()
        #expect(malformedDetail(bomb)?.contains("entity expansion exceeds") == true)
        #expect(Date().timeIntervalSince(started) < 5)
        let contentBomb = Data("<!DOCTYPE svg [\(laughs)]><svg viewBox='0 0 1 1'>&lol9;<rect width='1' height='1'/></svg>".utf8)
        #expect(malformedDetail(contentBomb)?.contains("entity expansion exceeds") == true)

        let loop = Data("<!DOCTYPE svg [<!ENTITY a \"&b;\"><!ENTITY b \"x&a;\">]><svg viewBox='0 0 1 1' id='&a;'/>".utf8)
        #expect(malformedDetail(loop)?.contains("refers to itself") == true)

        // External entities are never read: in an attribute it is an error, in content nothing.
        let external = "<!DOCTYPE svg [<!ENTITY secret SYSTEM \"file:///etc/hostname\">]>"
        let inAttribute = Data("\(external)<svg viewBox='0 0 1 1' id='&secret;'><rect width='1' height='1'/></svg>".utf8)
        #expect(malformedDetail(inAttribute)?.contains("external entity &secret; is not loaded") == true)
        let inContent = Data("\(external)<svg viewBox='0 0 1 1'>&secret;<rect width='1' height='1'/></svg>".utf8)
        #expect(try SVGParser.parse(inContent, file: "external.svg").first?.paths.count == 1)

        #expect(malformedDetail(Data("<svg viewBox='0 0 1 1' id='&nope;'/>".utf8))?.contains("unknown entity &nope;") == true)
        #expect(malformedDetail(Data("<svg viewBox='0 0 1 1' id='a & b;\nc'/>".utf8))?.contains("starts no entity reference") == true)
        let unbalanced = Data("<!DOCTYPE svg [<!ENTITY close \"</g>\">]><svg viewBox='0 0 1 1'><g>&close;</g></svg>".utf8)
        #expect(malformedDetail(unbalanced)?.contains("closes an element it did not open") == true)
    }

    @Test func nestingIsBoundedAt256Elements() throws {
        // The <svg> is level 1: 254 groups put the square at level 256, the deepest allowed.
        #expect(try SVGParser.parse(Self.nested(254), file: "deep.svg").first?.paths.count == 1)
        #expect(malformedDetail(Self.nested(255))?.contains("elements nested deeper than 256") == true)
        #expect(malformedDetail(Self.nested(16_000))?.contains("elements nested deeper than 256") == true)
        // Entity content counts towards the depth too.
        let viaEntity = Data(("<!DOCTYPE svg [<!ENTITY deep \"" + String(repeating: "<g>", count: 300)
                              + String(repeating: "</g>", count: 300) + "\">]><svg viewBox='0 0 1 1'>&deep;</svg>").utf8)
        #expect(malformedDetail(viaEntity)?.contains("elements nested deeper than 256") == true)
    }

    @Test func datasetBuildSkipsATooDeepFileWithAWarning() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.nested(16_000).write(to: folder.appendingPathComponent("deep.svg"))
        try Data(document("<circle cx='50' cy='50' r='30'/>").utf8).write(to: folder.appendingPathComponent("circle.svg"))
        var builder = try IconDatasetBuilder(gridSize: 64, maxSVGTokens: 512)
        builder.iouSize = 0
        var warnings: [String] = []
        let dataset = try builder.build(folder: folder, warning: { warnings.append($0) })
        #expect(dataset.entries.map(\.source) == ["circle.svg"])
        #expect(dataset.report.skipped["malformed SVG"] == 1)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("deep.svg: malformed SVG: ") == true && warnings.first?.contains("nested deeper than 256") == true)
    }
}
