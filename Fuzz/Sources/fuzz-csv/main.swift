// Fuzzes Forecasting's CSV reader: UTF-8 check, quoting, header and date detection, numbers,
// missing-value filling.
import Forecasting
import Foundation
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let url = ScratchFile.write(fuzzInput(data, size), name: "series.csv")
    guard let table = try? TimeSeriesCSV.read(path: url.path) else { return 0 }
    for var column in table.values { _ = try? MissingValues.fillLinearly(&column) }
    _ = table.rows(0..<min(table.length, 3))
    return 0
}

runFuzzer(fuzzCSV)
