import FMIndex
import Foundation
import Testing

/// Index files that pass their checksum but whose sections are inconsistent (a buggy writer,
/// or bytes crafted on purpose) are rejected as malformed or, if consistent enough to load,
/// answer queries without reading outside the payload (issue 10, found by Fuzz/fuzz-fmindex).
struct CraftedIndexTests {
    /// Writes `payload` under a header whose size and XXH64 match it, as the fuzz harness does.
    static func writeWithValidChecksum(_ file: [UInt8], to path: String) throws {
        var bytes = file
        let payloadCount = UInt64(bytes.count - 32)
        let digest = bytes[32...].withUnsafeBytes { XXHash64.hash($0) }
        for index in 0..<8 {
            bytes[16 + index] = UInt8(truncatingIfNeeded: payloadCount >> (8 * UInt64(index)))
            bytes[24 + index] = UInt8(truncatingIfNeeded: digest >> (8 * UInt64(index)))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Loads the file and, when it loads, runs every kind of query over it.
    static func loadAndQuery(_ path: String) {
        guard let index = try? FMIndex(contentsOf: path) else { return }
        for document in 0..<min(index.documentCount, 8) {
            guard let tokens = try? index.document(document), !tokens.isEmpty else { continue }
            let ngram = Array(tokens.prefix(2))
            _ = index.count(ngram)
            _ = index.locate(ngram, limit: 16)
            _ = index.documentFrequency(ngram)
            _ = index.nextTokens(after: Array(tokens.prefix(1)))
        }
        _ = index.nextTokens(after: index.fullRange)
        _ = index.locate(index.extend(index.fullRange, with: 0), limit: 16)
    }

    /// The first crash fuzz-fmindex found (SEGV in RankBitVector.bitAndRank1 via document()):
    /// an index whose rank directory and sections disagreed. First byte: the harness's selector.
    static let fuzzCrash = "AU5URk1JRFgAAQAAACAAAABICwAAAAAAACk2GXCtTAgyMwAAAAAAAAA2AAAAAAAAAAMAAAAAAAAADwEAAAAAAAACAAAAAAAAAA8BAAAAAAAAAAAAAO7////2////3f////7////m////9////9f///8GAAAA6P////j////a/////v///+L////2////0////wYAAADp////+f///93////+////4v////f////W/////v///+b////3////2P////z////g////9P///9P///8GAAAA9P////n////d/////v///+L////3////1////wAAAADo////+f///9r////+////4v////b////V////CAAAAOv////7////3f///wEAAADl////+f///9b///8BAAAA6f////r////a/////////+P////3////1v///wkAAAD3/////P///+D///8BAAAA5/////z////c////BwAAAPD///8CAAAA4////wcAAADr/////////97///8RAAAA9P///wQAAADp////DQAAAPH///8GAAAA5v///xEAAAD5////CgAAAOv///8QAAAA9P///wgAAADn////GgAAAAgAAAANAAAA8f///xIAAAD2////CwAAAOr///8SAAAA+v///wsAAADs////EAAAAPT///8IAAAA5////xoAAAD8////DAAAAO7///8SAAAA9v///woAAADn////EgAAAPr///8LAAAA7////xAAAAD0////CAAAAOf///8aAAAACAAAAA0AAADx////EgAAAPj///8LAAAA6////xYAAAD8////DAAAAOz///8QAAAA9P///wgAAADn////GgAAAP3///8NAAAA8f///xIAAAD2////CwAAAOr///8SAAAA+v///wsAAADs////EAAAAPT///8IAAAA5////xoAAAAIAAAADQAAAPH///8SAAAA9v///wsAAADq////EgAAAPr///8LAAAA7P///xAAAAD0////CAAAAOf///8aAAAA/P///wwAAADu////EgAAAPb///8KAAAA5////xIAAAD6////CwAAAOv///8QAAAA9P///wgAAADn////GgAAAAgAAAANAAAA8f///xIAAAD2////CwAAAOv///8TAAAA+v///wsAAADs////EAAAAPT///8IAAAA5////xoAAAD9////DAAAAO7///8SAAAA9v///woAAADn////EgAAAPr///8LAAAA6////xAAAAD0////CAAAAOf///8aAAAACAAAABgAAAD8////HQAAAAEAAAAWAAAA9f///x0AAAAFAAAAFgAAAPf///8bAAAA/////xMAAADy////JQAAAAcAAAAXAAAA+f///x0AAAABAAAAFQAAAPL///8dAAAABQAAABYAAAD2////GwAAAP////8TAAAA8v///yUAAAATAAAAGAAAAPz///8dAAAABQAAABgAAAD4////JwAAAA0AAAAdAAAA/////yUAAAALAAAAIQAAAAAAAAAQAQAAAAAAAAAAAAADAAAAAwAAAAYAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAJAAAACQAAAAkAAAAKAAAACwAAAAsAAAALAAAACwAAAAsAAAALAAAACwAAAAsAAAALAAAADAAAAAwAAAAMAAAADAAAAAwAAAAMAAAADAAAAAwAAAAMAAAADAAAAAwAAAAMAAAADAAAAAwAAAAMAAAADAAAAAwAAAAMAAAADAAAAAwAAAAOAAAADgAAAA4AAAARAAAAEwAAABQAAAAUAAAAFAAAABQAAAAUAAAAFAAAABQAAAAUAAAAFQAAABgAAAAYAAAAGAAAABkAAAAcAAAAHAAAABwAAAAcAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAdAAAAHQAAAB0AAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAoAAAAKAAAACgAAAAqAAAAKgAAACoAAAAuAAAALgAAAC4AAAAwAAAAMgAAADQAAAA2AAAABAAAAAAAAAAAAAAAEAAAACYAAAA2AAAAAwAAAAAAAAACAAAAAQAAAAAAAAAAAAAANgAAAAAAAAABAAAAAAAAALjPMB9LkjQAAQAAAAAAAAAAAAAAG2ywARsAAAAAAAAANAAAACQAAAAOAAAACgAAADAAAAAMAAAAIgAAADIAAAAmAAAAEAAAAAIAAAASAAAAKAAAACoAAAAGAAAAIAAAACwAAAAeAAAAHAAAAAQAAAAUAAAAGAAAABYAAAAaAAAACAAAAC4AAAAAAAAAAAAAADYAAAAAAAAACQAAAAAAAAAoAAAAAAAAADYAAAAAAAAAAQAAAAAAAACADxUEEDwAAAEAAAAAAAAAAAAAAA444AArAAAAAAAAADYAAAAAAAAAAQAAAAAAAAB4AQJAcgAAAAEAAAAAAAAAAAAAAAsssAAaAAAAAAAAADYAAAAAAAAAAQAAAAAAAADIL/4DAPg/AAEAAAAAAAAAAAAoAABwwBwBAAAAAAAAADYAAAAAAAAAAQAAAAAAAADAAQAAAPg/AAEAAAAAAAAAAAAAAA444AAsAAAAAAAAADYAAAAAAAAAAQAAAAAAAAAAAIAWrgEAAAEAAAAAAAAAAAAAAAoooAAiAAAAAAAAADYAAAAAAAAAAQAAAAAAAAAA/vnzAAAIAAEAAAAAAAAAAAAAABRQQAEnAAAAAAAAADYAAAAAAAAAAQAAAAAAAAAAPgCiUTwAAAEAAAAAAAAAAAAAAA888AAhAAAAAAAAADYAAAAAAAAAAQAAAAAAAADnAPAYSPgoAAEAAAAAAAAAAAAAABVUUAEVAAAAAAAAADYAAAAAAAAAAQAAAAAAAAD4f6Ce8d0NAAEAAAAAAAAAAAAAACGEEAI="

    @Test func theFuzzerCrashIsAMalformedIndexError() throws {
        var file = Array([UInt8](Data(base64Encoded: Self.fuzzCrash)!).dropFirst())
        // The input was found against format 1; stamped with the current version it still
        // reaches the section parser instead of stopping at the version check.
        #expect(file[8] == 1)
        file[8] = 2
        let path = temporaryPath("crafted-crash.fmi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.writeWithValidChecksum(file, to: path)
        let error = #expect(throws: FMIndexError.self) { try FMIndex(contentsOf: path) }
        if case .malformed? = error {} else { Issue.record("expected a malformed-index error, got \(String(describing: error))") }
        Self.loadAndQuery(path)
    }

    /// Ranges this index did not make (MatchRange has a public init) have no continuations,
    /// extensions or occurrences, instead of walking the ranks outside the payload.
    @Test func foreignRangesAreEmpty() throws {
        let index = try FMIndex(documents: [[3, 1, 4, 1, 5], [9, 2, 6]], sampleRate: 2)
        let rows = index.fullRange.upper
        for range in [MatchRange(lower: -5, upper: 2, length: 1), MatchRange(lower: 0, upper: rows + 1, length: 1),
                      MatchRange(lower: rows + 10, upper: rows + 4_000, length: 1)] {
            #expect(index.nextTokens(after: range).isEmpty)
            #expect(index.extend(range, with: 1).isEmpty)
            #expect(index.locate(range).isEmpty)
        }
        #expect(!index.nextTokens(after: index.fullRange).isEmpty)
    }

    /// Every payload word of a small index overwritten in turn with a few values, checksum fixed.
    @Test func everySingleWordDamageIsRejectedOrHarmless() throws {
        let documents = [[3, 1, 4, 1, 5], [9, 2, 6], [], [5, 3, 5, 8, 9, 7, 9], [3, 2, 3, 8, 4, 6, 2, 6, 4, 3]]
        let index = try FMIndex(documents: documents, sampleRate: 2)
        let path = temporaryPath("crafted-sweep.fmi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try index.write(to: path)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var rejected = 0
        for offset in stride(from: 32, to: original.count, by: 8) {
            let word = original[offset..<(offset + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            for value in [0, 1, word ^ 1, word ^ (1 << 7), word &+ 64, 0x7FFF_FFFF, UInt64.max] where value != word {
                var bytes = original
                for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
                try Self.writeWithValidChecksum(bytes, to: path)
                if (try? FMIndex(contentsOf: path)) == nil { rejected += 1 }
                Self.loadAndQuery(path)
            }
        }
        #expect(rejected > 0)
    }
}
