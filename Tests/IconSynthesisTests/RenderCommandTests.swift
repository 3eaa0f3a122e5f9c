import Foundation
import IconCommands
import IconSynthesis
import Testing

/// `icons render` refuses a file that draws nothing instead of writing a blank PNG.
struct RenderCommandTests {
    @Test func emptyDrawingIsAnErrorAndWritesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.svg"), circle = folder.appendingPathComponent("circle.svg")
        try Data(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>"#.utf8).write(to: empty)
        try Data(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="3"/></svg>"#.utf8).write(to: circle)
        let output = folder.appendingPathComponent("out.png")
        var command = try IconsCommand.parseAsRoot(["render", empty.path, "--size", "32", "-o", output.path])
        #expect(throws: IconError.noDrawableContent(file: empty.path)) { try command.run() }
        #expect(!FileManager.default.fileExists(atPath: output.path))
        command = try IconsCommand.parseAsRoot(["render", circle.path, "--size", "32", "-o", output.path])
        try command.run()
        #expect(FileManager.default.fileExists(atPath: output.path))
    }
}
