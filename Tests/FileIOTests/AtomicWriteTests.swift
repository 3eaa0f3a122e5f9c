@testable import FileIO
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fileio-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Every entry, hidden ones included, sorted.
    func names(_ folder: URL? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (folder ?? url).path).sorted()
    }

    func text(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: file(name)), as: UTF8.self)
    }

    func remove() {
        chmod(url.path, 0o755)
        try? FileManager.default.removeItem(at: url)
    }
}

struct Interrupted: Error {}

/// Files are complete or absent: replacement, failure part-way, and folder writes.
struct AtomicWriteTests {
    @Test func dataReplacesAnExistingFileAndLeavesNoTemporaryFile() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let target = scratch.file("settings.json")
        try AtomicWrite.data(Data("old".utf8), to: target)
        try AtomicWrite.data(Data("new content".utf8), to: target)
        #expect(try scratch.text("settings.json") == "new content")
        #expect(try scratch.names() == ["settings.json"])
    }

    @Test func aWriteThatFailsPartWayLeavesTheOldFileOrNone() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let fresh = scratch.file("fresh.bin")
        #expect(throws: Interrupted.self) {
            try AtomicWrite.stream(to: fresh) { write in
                try Data(repeating: 7, count: 4096).withUnsafeBytes { try write($0) }
                throw Interrupted()
            }
        }
        #expect(try scratch.names().isEmpty)

        let existing = scratch.file("existing.bin")
        try AtomicWrite.data(Data("complete".utf8), to: existing)
        #expect(throws: Interrupted.self) {
            try AtomicWrite.stream(to: existing) { write in
                try Data("half".utf8).withUnsafeBytes { try write($0) }
                throw Interrupted()
            }
        }
        #expect(try scratch.text("existing.bin") == "complete")
        #expect(try scratch.names() == ["existing.bin"])
    }

    @Test func streamedChunksArriveInOrder() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        try AtomicWrite.stream(to: scratch.file("joined.txt")) { write in
            for part in ["a", "bc", "", "def"] { try Data(part.utf8).withUnsafeBytes { try write($0) } }
        }
        #expect(try scratch.text("joined.txt") == "abcdef")
    }

    @Test func aMissingFolderIsAnErrorUnlessAskedToCreateIt() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let nested = scratch.url.appendingPathComponent("a/b/out.txt")
        let error = #expect(throws: FileIOError.self) { try AtomicWrite.data(Data("x".utf8), to: nested) }
        #expect(error?.path == nested.path)
        #expect(error?.errorNumber == ENOENT)
        try AtomicWrite.data(Data("x".utf8), to: nested, creatingFolder: true)
        #expect(try Data(contentsOf: nested) == Data("x".utf8))
    }

    @Test func folderWriteReplacesFilesAndKeepsOthers() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let folder = scratch.file("model")
        try AtomicWrite.files(into: folder, last: "config.json") { staging in
            try AtomicWrite.data(Data("w1".utf8), to: staging.appendingPathComponent("weights.bin"))
            try AtomicWrite.data(Data("c1".utf8), to: staging.appendingPathComponent("config.json"))
            try AtomicWrite.data(Data("n1".utf8), to: staging.appendingPathComponent("notes.txt"))
        }
        try AtomicWrite.files(into: folder, last: "config.json") { staging in
            try AtomicWrite.data(Data("w2".utf8), to: staging.appendingPathComponent("weights.bin"))
            try AtomicWrite.data(Data("c2".utf8), to: staging.appendingPathComponent("config.json"))
        }
        #expect(try scratch.names(folder) == ["config.json", "notes.txt", "weights.bin"])
        #expect(try scratch.text("model/weights.bin") == "w2")
        #expect(try scratch.text("model/config.json") == "c2")
        #expect(try scratch.text("model/notes.txt") == "n1")
    }

    @Test func aFolderWriteThatFailsKeepsTheOldFilesAndRemovesTheStagingFolder() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let folder = scratch.file("model")
        try AtomicWrite.files(into: folder, last: "config.json") { staging in
            try AtomicWrite.data(Data("w1".utf8), to: staging.appendingPathComponent("weights.bin"))
            try AtomicWrite.data(Data("c1".utf8), to: staging.appendingPathComponent("config.json"))
        }
        #expect(throws: Interrupted.self) {
            try AtomicWrite.files(into: folder, last: "config.json") { staging in
                try AtomicWrite.data(Data("w2".utf8), to: staging.appendingPathComponent("weights.bin"))
                throw Interrupted()
            }
        }
        #expect(try scratch.names(folder) == ["config.json", "weights.bin"])
        #expect(try scratch.text("model/weights.bin") == "w1")
        #expect(try scratch.text("model/config.json") == "c1")
    }

    @Test func aStagedSubfolderReplacesTheOldOneWhole() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let folder = scratch.file("run")
        for names in [["vocab.json", "merges.txt"], ["tokenizer.json"]] {
            try AtomicWrite.files(into: folder) { staging in
                let tokenizer = staging.appendingPathComponent("tokenizer")
                try FileManager.default.createDirectory(at: tokenizer, withIntermediateDirectories: false)
                for name in names { try AtomicWrite.data(Data(name.utf8), to: tokenizer.appendingPathComponent(name)) }
            }
        }
        #expect(try scratch.names(folder) == ["tokenizer"])
        #expect(try scratch.names(folder.appendingPathComponent("tokenizer")) == ["tokenizer.json"])
    }

    @Test func theLastFileMovesAfterAllOthers() {
        #expect(AtomicWrite.moveOrder(["config.json", "b.bin", ".partial", "a.bin"], last: "config.json")
                == ["a.bin", "b.bin", "config.json"])
        #expect(AtomicWrite.moveOrder(["model.bin", "a-config.json", "z.txt"], last: "a-config.json")
                == ["model.bin", "z.txt", "a-config.json"])
        #expect(AtomicWrite.moveOrder(["b", "a"], last: nil) == ["a", "b"])
        #expect(AtomicWrite.moveOrder(["z", "a"], last: "missing") == ["a", "z"])
    }

    /// The error names the path the caller gave and the system's reason. Root ignores folder
    /// permissions, so as root a folder that is a regular file stands in for a read-only one.
    @Test func aFailedWriteNamesThePathAndTheReason() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let target: URL
        let reason: String
        if getuid() == 0 {
            try Data("a file".utf8).write(to: scratch.file("plain"))
            target = scratch.url.appendingPathComponent("plain/out.json")
            reason = String(cString: strerror(ENOTDIR))
        } else {
            let readOnly = scratch.file("read-only")
            try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: false)
            chmod(readOnly.path, 0o555)
            target = readOnly.appendingPathComponent("out.json")
            reason = String(cString: strerror(EACCES))
        }
        let error = #expect(throws: FileIOError.self) { try AtomicWrite.data(Data("{}".utf8), to: target) }
        let message = error?.description ?? ""
        #expect(message.hasPrefix(target.path + ": "), "\(message)")
        #expect(message.hasSuffix("(\(reason))"), "\(message)")
        #expect(!message.contains("\n"))
        #expect(!message.contains(".tmp-"), "the temporary name is not the user's concern: \(message)")

        let folderError = #expect(throws: FileIOError.self) {
            try AtomicWrite.files(into: target.deletingLastPathComponent().appendingPathComponent("sub")) { _ in }
        }
        #expect(folderError?.description.contains(target.deletingLastPathComponent().path) == true,
                "\(String(describing: folderError))")
    }
}
