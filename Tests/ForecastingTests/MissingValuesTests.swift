import Forecasting
import Testing
import TestSupport

/// Detection and handling of missing values: empty cells, NA-style tokens and -9999 sentinels.
@Suite struct MissingValuesTests {
    /// Column a: -9999 at lines 4 and 9, an empty cell at line 5. Column b: -9999 at lines 3
    /// and 6, NA at line 7. Column c: a real outlier (5000) at line 6.
    static let csv = """
    date,a,b,c
    2020-01-01 00:00,1,10,100
    2020-01-01 01:00,2,-9999,101
    2020-01-01 02:00,-9999,12,102
    2020-01-01 03:00,,13,103
    2020-01-01 04:00,5,-9999,5000
    2020-01-01 05:00,6,NA,105
    2020-01-01 06:00,7,16,106
    2020-01-01 07:00,-9999,17,107
    2020-01-01 08:00,9,18,108
    """

    @Test func detectsSentinelsAndEmptyCellsPerColumnWithTheirLines() throws {
        let report = try TimeSeriesCSV.parse(Self.csv).report
        #expect(report.missing["a"]?.cells == 1)
        #expect(report.missing["a"]?.sentinels == ["-9999": 2])
        #expect(report.missing["a"]?.firstLines == [4, 5, 9])
        #expect(report.missing["b"]?.cells == 1)
        #expect(report.missing["b"]?.sentinels == ["-9999": 2])
        #expect(report.missing["b"]?.firstLines == [3, 6, 7])
        #expect(report.missing["c"] == nil)
        #expect(report.totalMissing == 6)
        #expect(report.lines.contains("'a': 3 missing (1 empty or NA cell, 2 × sentinel -9999), first at lines 4, 5, 9"))
        #expect(report.lines.first == "filled 6 missing values by linear interpolation (a: 3, b: 3)")
    }

    @Test func interpolatesSentinelsLikeEmptyCells() throws {
        let table = try TimeSeriesCSV.parse(Self.csv)
        #expect(table.values[0] == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(table.values[1] == [10, 11, 12, 13, 14, 15, 16, 17, 18])
        #expect(table.values[2] == [100, 101, 102, 103, 5000, 105, 106, 107, 108])
    }

    @Test func dropRemovesEveryRowWithAMissingValue() throws {
        let table = try TimeSeriesCSV.parse(Self.csv, missing: .drop)
        #expect(table.length == 3)
        #expect(table.values == [[1, 7, 9], [10, 16, 18], [100, 106, 108]])
        #expect(table.report.droppedRows == 6)
        #expect(table.timestamps?.count == 3)
        // The dropped rows show as gaps in the time axis.
        #expect(table.report.irregularSteps == 2)
        #expect(table.report.lines.contains { $0.hasPrefix("dropped 6 rows") })
        // Dropping only along the used columns: c alone has nothing missing.
        #expect(try TimeSeriesCSV.parse(Self.csv, columns: ["c"], missing: .drop).length == 9)
        #expect(throws: ForecastError.self) {
            try TimeSeriesCSV.parse("a,b\n1,\n,2\n3,4\n", missing: .drop)
        }
    }

    @Test func keepLeavesNaNAndInterpolatingLaterFillsIt() throws {
        let table = try TimeSeriesCSV.parse(Self.csv, missing: .keep)
        #expect(table.values[0].enumerated().filter { $0.element.isNaN }.map(\.offset) == [2, 3, 7])
        #expect(table.hasMissingValues)
        #expect(table.report.lines.contains { $0.hasPrefix("kept 6 missing values as NaN") })
        #expect(try table.interpolatingMissing().values[1] == [10, 11, 12, 13, 14, 15, 16, 17, 18])
    }

    @Test func aRealOutlierAndAGenuinelyLargeColumnAreNotSentinels() {
        // 5000 among values near 100: an outlier, but not a 9s value.
        #expect(MissingValues.sentinels(in: [100, 101, 5000, 99, 102]) == [])
        // 9999 among values near 10000, repeated: data.
        #expect(MissingValues.sentinels(in: [10003, 9999, 10010, 9999, 9990, 10020, 9999]) == [])
        // 999 inside a column spanning 0...2000.
        #expect(MissingValues.sentinels(in: [0, 500, 999, 1500, 2000, 999, 1200]) == [])
        // A genuinely large column with a -9999 in it: the sentinel still stands out.
        #expect(MissingValues.sentinels(in: [52_000, 51_800, -9999, 52_300, 51_900]) == [-9999])
        // -999 once, far below values near 20: a sentinel.
        #expect(MissingValues.sentinels(in: [20, 21, 19.5, -999, 22]) == [-999])
        #expect(MissingValues.isNinesSentinel(-9999) && MissingValues.isNinesSentinel(99_999))
        #expect(!MissingValues.isNinesSentinel(9) && !MissingValues.isNinesSentinel(9998) && !MissingValues.isNinesSentinel(999.5))
    }

    @Test func aLargeColumnInTheFileKeepsItsValues() throws {
        let rows = (0..<20).map { "\($0),\(9990 + $0),\($0 % 2 == 0 ? "9999" : "\(9995 + $0)")" }
        let table = try TimeSeriesCSV.parse("t,x,y\n" + rows.joined(separator: "\n"))
        #expect(table.report.missing.isEmpty)
        #expect(table.values[1][9] == 9999 && table.values[2][0] == 9999)
    }

    @Test func keptNaNsStayOutOfTheScalerAndEveryWindow() {
        let scaler = StandardScaler(fitting: [[1, .nan, 3]], rows: 0..<3)
        #expect(scaler.means == [2] && scaler.deviations == [1])
        var values = (0..<20).map(Float.init)
        values[5] = .nan
        values[15] = .nan
        let series = TrainingSeries(values: values, train: 0..<12, validation: 12..<20)
        let windows = ForecastTrainingLoop.Windows(series: [series], length: 4, targetOffset: 2, validationLimit: 100)
        // Training starts 0...8 without those whose rows start...start+3 hold row 5.
        #expect(windows.train == [[0, 1, 6, 7, 8]])
        // Validation starts 10...16 without those holding row 15.
        #expect(windows.validation.map(\.start) == [10, 11, 16])
    }
}
