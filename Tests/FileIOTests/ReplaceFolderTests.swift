import FileIO
import Foundation
import Testing

/// Whole-folder replacement: the old folder or the new one, and a reader finds the old one
/// when a crash struck between the two renames.
struct ReplaceFolderTests {
    @Test func theNewFolderReplacesTheOldOneWhole() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let target = scratch.file("index")
        try AtomicWrite.replaceFolder(target) { staging in
            try AtomicWrite.data(Data("1".utf8), to: staging.appendingPathComponent("a"))
            try AtomicWrite.data(Data("1".utf8), to: staging.appendingPathComponent("stale"))
        }
        try AtomicWrite.replaceFolder(target) { staging in
            try AtomicWrite.data(Data("2".utf8), to: staging.appendingPathComponent("a"))
        }
        #expect(try scratch.names(target) == ["a"])
        #expect(try scratch.text("index/a") == "2")
        #expect(try scratch.names() == ["index"])
    }

    @Test func aFailedReplacementLeavesTheOldFolderAndNoStaging() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let target = scratch.file("index")
        try AtomicWrite.replaceFolder(target) { staging in
            try AtomicWrite.data(Data("old".utf8), to: staging.appendingPathComponent("a"))
        }
        #expect(throws: Interrupted.self) {
            try AtomicWrite.replaceFolder(target) { staging in
                try AtomicWrite.data(Data("new".utf8), to: staging.appendingPathComponent("a"))
                throw Interrupted()
            }
        }
        #expect(try scratch.text("index/a") == "old")
        #expect(try scratch.names() == ["index"])
    }

    @Test func aFolderLeftAsideByACrashIsReadAndThenCleanedUp() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let target = scratch.file("index")
        #expect(AtomicWrite.resolvedFolder(target) == target)
        try AtomicWrite.replaceFolder(target) { staging in
            try AtomicWrite.data(Data("old".utf8), to: staging.appendingPathComponent("a"))
        }
        // The state a kill between the two renames leaves behind.
        let aside = scratch.file(".index.old-1-2")
        try FileManager.default.moveItem(at: target, to: aside)
        #expect(AtomicWrite.resolvedFolder(target).lastPathComponent == aside.lastPathComponent)

        try AtomicWrite.replaceFolder(target) { staging in
            try AtomicWrite.data(Data("new".utf8), to: staging.appendingPathComponent("a"))
        }
        #expect(AtomicWrite.resolvedFolder(target) == target)
        #expect(try scratch.names() == ["index"])
    }
}
