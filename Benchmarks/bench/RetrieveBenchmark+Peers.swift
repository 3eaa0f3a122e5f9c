import ArgumentParser
import Foundation
import Tensors

extension RetrieveBenchmark {
    /// Patterns drawn from the documents (so every one occurs): n-grams of 1, 2, 4 and 8
    /// tokens to count, contexts of 0-3 tokens whose next tokens are listed (20 empty ones).
    func samplePatterns(_ documents: [[Int]]) -> [(String, [[Int]])] {
        var generator = SeededGenerator(seed: seed)
        let long = documents.indices.filter { documents[$0].count >= 8 }
        func draw(_ length: Int) -> [Int] {
            let document = documents[long[Int(generator.next() % UInt64(long.count))]]
            let start = Int(generator.next() % UInt64(document.count - length + 1))
            return Array(document[start..<(start + length)])
        }
        var groups: [(String, [[Int]])] = []
        for length in [1, 2, 4, 8] { groups.append(("count_\(length)", (0..<patterns).map { _ in draw(length) })) }
        for length in [0, 1, 2, 3] {
            groups.append(("next_\(length)", (0..<(length == 0 ? 20 : patterns)).map { _ in length == 0 ? [] : draw(length) }))
        }
        return groups
    }

    /// The sdsl-lite peer, compiled with the system compiler when it is not there yet.
    func sdslBinary() throws -> String {
        if FileManager.default.isExecutableFile(atPath: sdslPeer) { return sdslPeer }
        report("compiling \(sdslPeer) from Benchmarks/peers/sdsl_peer.cpp (needs libsdsl-dev, libdivsufsort-dev)")
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = ["c++", "-O3", "-DNDEBUG", "-std=c++17", "Benchmarks/peers/sdsl_peer.cpp", "-o", sdslPeer,
                              "-lsdsl", "-ldivsufsort", "-ldivsufsort64"]
        try compiler.run()
        compiler.waitUntilExit()
        guard compiler.terminationStatus == 0 else { throw ValidationError("compiling the sdsl-lite peer failed") }
        return sdslPeer
    }

    /// Runs a peer that prints one JSON object; a failing peer becomes an `error` entry.
    func peer(executable: String, arguments: [String], directory: URL?, tokens: Int) -> Side {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let failed = { (reason: String) in Side(buildSeconds: nil, tokensPerSecond: nil, bytesPerToken: nil, microseconds: [:], error: reason) }
        do { try process.run() } catch { return failed("\(executable): \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let build = object["build_seconds"] as? Double, let size = object["size_bytes"] as? Double else {
            return failed("\(executable) exited \(process.terminationStatus): \(message.suffix(300))")
        }
        var microseconds: [String: Double] = [:]
        for (key, value) in object where key.hasPrefix("count_") || key.hasPrefix("next_") {
            if let number = value as? Double { microseconds[key] = number }
        }
        return Side(buildSeconds: build, tokensPerSecond: Double(tokens) / build, bytesPerToken: size / Double(tokens),
                    microseconds: microseconds, error: nil)
    }

    func printTable(_ result: Result) {
        let sides: [(String, Side?)] = [("NextToken FMIndex", result.nexttoken), ("sdsl-lite csa_wt_int", result.sdsl),
                                        ("PyPI fm-index", result.fmIndexPyPI)]
        func cell(_ side: Side?, _ key: String) -> String {
            guard let value = side?.microseconds[key] else { return "-" }
            return String(format: "%.2f", value)
        }
        func padded(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        if result.nexttoken.microseconds.isEmpty { return printLatency(result) }
        let keys = ["count_1_us", "count_2_us", "count_4_us", "count_8_us", "next_0_us", "next_1_us", "next_2_us", "next_3_us"]
        let titles = ["count1", "count2", "count4", "count8", "next0", "next1", "next2", "next3"]
        report("".padding(toLength: 22, withPad: " ", startingAt: 0) + padded("build Mtok/s", 13) + padded("B/token", 9)
            + titles.map { padded($0, 9) }.joined())
        for (name, side) in sides {
            guard let side else { continue }
            if let error = side.error { report("\(name): \(error)"); continue }
            report(name.padding(toLength: 22, withPad: " ", startingAt: 0) + padded(String(format: "%.2f", (side.tokensPerSecond ?? .nan) / 1e6), 13)
                + padded(String(format: "%.2f", side.bytesPerToken ?? .nan), 9) + keys.map { padded(cell(side, $0), 9) }.joined())
        }
        report("(lookups in microseconds per call; nextN: range of an N-token context + its distinct next tokens)")
        printLatency(result)
    }

    func printLatency(_ result: Result) {
        if let p50 = result.sealLatencyMilliseconds["p50"], let p90 = result.sealLatencyMilliseconds["p90"] {
            report(String(format: "SEAL query latency, beam %d, %d held-out queries: p50 %.1f ms, p90 %.1f ms",
                          result.sealBeams, result.sealQueries, p50, p90))
        }
    }
}
