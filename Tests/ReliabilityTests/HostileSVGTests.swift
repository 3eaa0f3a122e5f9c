import Foundation
import Testing

extension BadInputFixtures {
    /// SVG files an attacker or a broken exporter could hand over, by name.
    static let hostileSVGs: [String: String] = {
        func svg(_ body: String) -> String { #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">"# + body + "</svg>" }
        var laughs = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 { laughs += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">" }
        return [
            // 16,000 nested groups: a recursive reader overflows its stack.
            "deep.svg": svg(String(repeating: "<g>", count: 16_000) + "<rect width='9' height='9'/>" + String(repeating: "</g>", count: 16_000)),
            // "Billion laughs": 10^9 copies of "lol" from 10 entity declarations.
            "bomb.svg": "<!DOCTYPE svg [\(laughs)]>" + svg("<rect width='9' height='9' id='&lol9;'/>"),
            // An external entity (XXE) must never be read.
            "external.svg": "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>" + svg("<rect width='9' height='9' id='&x;'/>"),
            // A viewBox of 1e-320 and a circle of radius 1e300 overflow to infinity.
            "overflow.svg": #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e-320 1e-320"><rect width="1" height="1"/></svg>"#,
            "huge-circle.svg": svg("<circle cx='1e300' cy='5' r='1e300'/><rect width='9' height='9'/>"),
            "infinite-radius.svg": svg("<circle cx='5' cy='5' r='inf'/>"),
        ]
    }()

    static func writeHostileSVG(_ name: String, into folder: URL) throws {
        try Data(hostileSVGs[name]!.utf8).write(to: folder.appendingPathComponent(name))
    }
}

/// `icons dataset build` over a folder holding hostile SVGs next to a good one: each bad file
/// is skipped with one warning line naming it, and the build finishes (no stack overflow, no
/// trap on overflowing numbers).
struct HostileSVGDatasetTests {
    @Test func datasetBuildSkipsHostileFilesAndFinishes() throws {
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let icons = scratch.appendingPathComponent("icons")
        try FileManager.default.createDirectory(at: icons, withIntermediateDirectories: true)
        for name in BadInputFixtures.hostileSVGs.keys { try BadInputFixtures.writeHostileSVG(name, into: icons) }
        try Data(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="8"/></svg>"#.utf8)
            .write(to: icons.appendingPathComponent("circle.svg"))
        let result = try ProductRunner.run("icons", ["dataset", "build", icons.path, "-o", scratch.appendingPathComponent("data.json").path, "--iou-size", "0"],
                                           scratch: scratch)
        #expect(!result.signalled && result.status == 0, "\(result)")
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "#0 0x"] {
            #expect(!result.standardError.contains(marker), "\(marker): \(result)")
        }
        let warnings = result.errorLines.filter { $0.hasPrefix("warning: ") }
        for name in ["deep.svg", "bomb.svg", "external.svg", "overflow.svg", "infinite-radius.svg"] {
            #expect(warnings.filter { $0.hasPrefix("warning: \(name): malformed SVG: ") }.count == 1, "\(name): \(result)")
        }
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("data.json").path))
        #expect(result.standardOutput.contains("icons kept: 2"), "circle.svg and huge-circle.svg (its rectangle): \(result.standardOutput)")
    }
}
