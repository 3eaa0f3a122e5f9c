import Foundation

/// Finds the trained models that ship with NextToken (the repository's `assets/`, installed
/// as `PREFIX/share/nexttoken/`), the one place every tool asks.
///
/// A tool's model folder is the first of, in order:
/// 1. the folder named on the command line (the caller passes it as `explicit`);
/// 2. `$NEXTTOKEN_ASSETS/<tool>`;
/// 3. `PREFIX/share/nexttoken/<tool>` of the installation the running executable is in
///    (`PREFIX/bin/<executable>`, as `scripts/install PREFIX` lays it out);
/// 4. `assets/<tool>` of the source checkout the executable was built in (any folder above the
///    executable that holds `Package.swift`; `swift run` executables live in its `.build/`).
///
/// A candidate counts only when it holds the tool's marker file (its configuration), so an
/// unrelated `assets/` folder is never taken for a model.
///
/// ```swift
/// let folder = try ShippedModels.folder("forecast", marker: "forecaster.json", explicit: options.model)
/// ```
public enum ShippedModels {
    /// The environment variable that names a folder holding one sub-folder per tool.
    public static let environmentVariable = "NEXTTOKEN_ASSETS"

    /// The folder of `tool`'s model: `explicit` if given (returned as is, without checking),
    /// else the first candidate that holds `marker`.
    ///
    /// - Throws: `CommandFailure` listing where it looked, when no candidate holds `marker`.
    public static func folder(_ tool: String, marker: String, explicit: String? = nil) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let candidates = candidates(tool)
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent(marker).path) }) {
            return found
        }
        let looked = candidates.map(\.path).joined(separator: ", ")
        throw CommandFailure(
            "no shipped \(tool) model found (looked in: \(looked.isEmpty ? "nothing" : looked)); "
                + "name a model on the command line, set \(environmentVariable), or install with scripts/install PREFIX")
    }

    /// The file `name` inside `tool`'s shipped folder (found by that file itself), or
    /// `explicit` when given.
    public static func file(_ tool: String, _ name: String, explicit: String? = nil) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        return try folder(tool, marker: name).appendingPathComponent(name)
    }

    /// Every place `tool`'s model may be, in the order they are tried (steps 2-4 above).
    public static func candidates(_ tool: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                                  executable: URL = runningExecutable) -> [URL] {
        var roots: [URL] = []
        if let root = environment[environmentVariable], !root.isEmpty { roots.append(URL(fileURLWithPath: root)) }
        let binFolder = executable.deletingLastPathComponent()
        roots.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/nexttoken"))
        var folder = binFolder
        while folder.path != "/" && !folder.path.isEmpty {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                roots.append(folder.appendingPathComponent("assets"))
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        return roots.map { $0.appendingPathComponent(tool).standardizedFileURL }
    }

    /// The running executable with symbolic links resolved (`/proc/self/exe` on Linux, which
    /// is right however the program was started: through `PATH`, a relative path or a link).
    public static var runningExecutable: URL {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
            return URL(fileURLWithPath: target)
        }
        if let url = Bundle.main.executableURL { return url.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }
}
