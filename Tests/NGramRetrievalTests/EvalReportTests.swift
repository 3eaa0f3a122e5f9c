import Foundation
import Testing
@testable import RetrieveCommands

/// The text report of `retrieve eval` (without `--json`): a header, one row per run with
/// its metrics in fixed columns (SEAL first, then fusions, then the fused run), and the
/// settings as one line of JSON.
@Suite struct EvalReportTests {
    @Test func tableHasOneAlignedRowPerRun() throws {
        let metrics: (Double) -> [String: Any] = { base in
            ["recall@1": base, "recall@5": base + 0.1, "recall@20": base + 0.2, "recall@100": 1.0, "mrr@10": base + 0.05]
        }
        var intersective = metrics(0.5)
        intersective["queries_per_s"] = 12.34
        let report: [String: Any] = [
            "queries": 4, "split": "heldout", "index": "/idx", "prepack": true, "key_seconds": 1.5,
            "seal_intersective": intersective, "seal_sum": metrics(0.25), "fusion_sum": metrics(0.75),
            "fused_run": metrics(0.625), "settings": ["beamCount": 10, "scoring": ["alpha": 1]],
        ]
        let lines = try EvalCommand.table(report).split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines[0] == "4 queries (split heldout), index /idx")
        #expect(lines[1].hasPrefix("run") && lines[1].contains("R@1") && lines[1].contains("MRR@10"))
        #expect(lines[2...5].map { $0.split(separator: " ").first.map(String.init) ?? "" }
                == ["seal_intersective", "seal_sum", "fusion_sum", "fused_run"])
        #expect(lines[2].split(separator: " ").dropFirst().map(String.init) == ["0.500", "0.600", "0.700", "1.000", "0.550", "12.3"])
        #expect(lines[3].split(separator: " ").last == "-", "no speed for a run without one")
        let column = lines[1].range(of: "MRR@10")!.lowerBound.utf16Offset(in: lines[1])
        #expect(lines[2...5].allSatisfy { String($0.dropFirst(column).prefix(5)).contains(".") }, "columns line up")
        #expect(lines[6] == #"settings: {"beamCount":10,"scoring":{"alpha":1}}"#)
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }
}
