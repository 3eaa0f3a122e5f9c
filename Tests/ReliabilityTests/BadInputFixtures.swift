import Foundation
import TestSupport

/// The bad files of the matrix, written into a case's scratch folder before it runs.
///
/// Names used by ``BadInputMatrixTests``: `empty.*` (0 bytes), `binary.*` (bytes that are not
/// UTF-8), `folder/` (a directory where a file belongs), `blank.svg` (valid SVG that draws
/// nothing), `infinity.csv`, `nan-column.csv`, `text-cell.csv`, and copies of the shipped
/// models damaged in one way each (made on demand by ``BadInputFixtures/damage``).
enum BadInputFixtures {
    static var assets: URL { TestFixtures.repositoryRoot.appendingPathComponent("assets") }

    /// Bytes no UTF-8 decoder accepts (lone continuation and invalid lead bytes).
    static let notUTF8 = Data([0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0xa0, 0xa1, 0x0a, 0xe2, 0x28, 0xa1, 0x0a])

    static func writeSmallFiles(into folder: URL) throws {
        for name in ["empty.svg", "empty.csv", "empty.jsonl", "empty.txt", "empty.json", "empty.safetensors"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        for name in ["binary.svg", "binary.csv", "binary.jsonl", "binary.txt"] {
            try notUTF8.write(to: folder.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty-folder"), withIntermediateDirectories: true)
        try #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g fill="none"></g><title>nothing</title></svg>"#
            .write(to: folder.appendingPathComponent("blank.svg"), atomically: true, encoding: .utf8)
        // 40 hourly rows of one series; `cell(i)` is row i's value.
        func csv(_ cell: (Int) -> String) -> String {
            "date,load\n" + (0..<40).map { "2020-01-\(String(format: "%02d", $0 / 24 + 1)) \(String(format: "%02d", $0 % 24)):00:00,\(cell($0))" }
                .joined(separator: "\n") + "\n"
        }
        try csv { $0 == 17 ? "inf" : "\(Double($0) * 0.5)" }.write(to: folder.appendingPathComponent("infinity.csv"), atomically: true, encoding: .utf8)
        try csv { _ in "NaN" }.write(to: folder.appendingPathComponent("nan-column.csv"), atomically: true, encoding: .utf8)
        try csv { $0 == 9 ? "twelve" : "\(Double($0) * 0.5)" }.write(to: folder.appendingPathComponent("text-cell.csv"), atomically: true, encoding: .utf8)
    }

    /// One line of `megabytes` MB with no newline (`x` repeated, optionally wrapped).
    static func writeLongLine(to url: URL, megabytes: Int = 100, prefix: String = "", suffix: String = "") throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(prefix.utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<megabytes { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data(suffix.utf8))
    }

    /// Ways to damage a copied model.
    enum Damage {
        /// Keep the first half of the named weights file.
        case truncate(String)
        /// Replace `"key" : old` by `"key" : new` in the named JSON file (a shape change).
        case edit(file: String, key: String, value: String)
        /// Patch bytes at an offset of the named file.
        case patch(file: String, offset: Int, bytes: [UInt8])
    }

    /// Copies `assets/<source>` to `folder/<name>` and damages it; returns the copy's path.
    @discardableResult
    static func damage(_ source: String, as name: String, in folder: URL, _ damage: Damage) throws -> String {
        let copy = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: assets.appendingPathComponent(source), to: copy)
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: copy.path, isDirectory: &isDirectory)
        func file(_ relative: String) -> URL { isDirectory.boolValue ? copy.appendingPathComponent(relative) : copy }
        switch damage {
        case .truncate(let relative):
            let data = try Data(contentsOf: file(relative))
            try data.prefix(data.count / 2).write(to: file(relative))
        case .edit(let relative, let key, let value):
            let url = file(relative)
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            if var decoder = object["decoder"] as? [String: Any], decoder[key] != nil {
                decoder[key] = Int(value)
                object["decoder"] = decoder
            } else if var backbone = object["backbone"] as? [String: Any], backbone[key] != nil {
                backbone[key] = Int(value)
                object["backbone"] = backbone
            } else {
                object[key] = Int(value) ?? value
            }
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        case .patch(let relative, let offset, let bytes):
            var data = try Data(contentsOf: file(relative))
            data.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
            try data.write(to: file(relative))
        }
        return copy.path
    }
}
