import Foundation
import Testing
import TestSupport

/// `scripts/install` lays out a prefix from which every tool finds its shipped model, run from
/// a folder that has nothing to do with the checkout.
@Suite(.serialized)
struct InstallTests {
    /// Installs the built executables into a temporary prefix, then runs each tool's default
    /// command (its shipped model, no model option) with an unrelated working directory.
    @Test func installedToolsFindTheirModelsFromAnywhere() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString)")
        let prefix = scratch.appendingPathComponent("prefix"), elsewhere = scratch.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let binFolder = try ProductRunner.binary("icons").deletingLastPathComponent()
        let install = try ProductRunner.runProgram(
            TestFixtures.repositoryRoot.appendingPathComponent("scripts/install"),
            ["--bin-dir", binFolder.path, prefix.path], scratch: elsewhere)
        try #require(install.status == 0, "\(install)")
        for tool in ["nexttoken", "icons", "forecast", "images", "retrieve"] {
            #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent("bin/\(tool)").path), "\(tool)")
        }
        for model in ["icons/config.json", "forecast/forecaster.json", "images/generator.safetensors", "retrieve/manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/nexttoken/\(model)").path), "\(model)")
        }

        // NEXTTOKEN_ASSETS is cleared so that only the install's own share/nexttoken can be found.
        func run(_ tool: String, _ arguments: [String]) throws -> ProductRunner.Result {
            try ProductRunner.runProgram(prefix.appendingPathComponent("bin/\(tool)"), arguments, scratch: elsewhere,
                                         environment: ["NEXTTOKEN_ASSETS": ""], timeout: 300)
        }
        let shareFolder = prefix.appendingPathComponent("share/nexttoken").path

        // `icons generate` samples hundreds of tokens, minutes in a debug build; `edit` regenerates
        // one path of a small icon with the same shipped model.
        try FileManager.default.copyItem(at: TestFixtures.repositoryRoot.appendingPathComponent("Examples/data/icons/star.svg"),
                                         to: elsewhere.appendingPathComponent("star.svg"))
        let icons = try run("icons", ["edit", "star.svg", "--path", "0", "--count", "1", "--seed", "1", "-o", "icons"])
        #expect(icons.status == 0, "\(icons)")
        let svgs = (try? FileManager.default.contentsOfDirectory(atPath: elsewhere.appendingPathComponent("icons").path))?.filter { $0.hasSuffix(".svg") } ?? []
        #expect(!svgs.isEmpty, "icons edit wrote no SVG: \(icons)")

        let csv = (0..<48).map { "1960-\(String(format: "%02d", $0 % 12 + 1))-01,\(100 + $0 % 12 * 3 + $0)" }.joined(separator: "\n")
        try ("month,passengers\n" + csv + "\n").write(to: elsewhere.appendingPathComponent("series.csv"), atomically: true, encoding: .utf8)
        let forecast = try run("forecast", ["predict", "--data", "series.csv", "--horizon", "12"])
        #expect(forecast.status == 0, "\(forecast)")
        #expect(forecast.standardError.contains(shareFolder), "forecast did not use the installed model: \(forecast)")
        #expect(forecast.standardOutput.split(separator: "\n").count >= 12, "\(forecast)")

        let images = try run("images", ["generate", "--class", "3", "--count", "1", "--seed", "1", "-o", "three.png"])
        #expect(images.status == 0, "\(images)")
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("three.png").path), "\(images)")

        let retrieve = try run("retrieve", ["query", "Which NFL team represented the AFC at Super Bowl 50?", "-k", "1", "--json"])
        #expect(retrieve.status == 0, "\(retrieve)")
        #expect(retrieve.standardOutput.contains("\"p0"), "\(retrieve)")

        let version = try run("nexttoken", ["--help"])
        #expect(version.status == 0, "\(version)")
    }

    /// With no install, no checkout above the executable and no NEXTTOKEN_ASSETS, a tool says
    /// in one line where it looked and how to give a model.
    @Test func aCopiedBinaryWithoutModelsSaysWhereItLooked() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("copied-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let copy = scratch.appendingPathComponent("forecast")
        try FileManager.default.copyItem(at: try ProductRunner.binary("forecast"), to: copy)
        try "month,value\n2000-01-01,1\n2000-02-01,2\n".write(to: scratch.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
        let result = try ProductRunner.runProgram(copy, ["predict", "--data", "s.csv", "--horizon", "2"], scratch: scratch,
                                                  environment: ["NEXTTOKEN_ASSETS": ""])
        #expect(result.status != 0 && !result.signalled, "\(result)")
        #expect(result.errorLines.filter { $0.hasPrefix("error:") }.count == 1, "\(result)")
        #expect(result.standardError.contains("no shipped forecast model found") && result.standardError.contains("NEXTTOKEN_ASSETS"), "\(result)")
    }
}
