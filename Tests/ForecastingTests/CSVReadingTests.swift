import Forecasting
import Testing
import TestSupport

@Suite struct CSVReadingTests {
    @Test func readsDateColumnAndAllNumericColumns() throws {
        let table = try TimeSeriesCSV.parse("""
        date,a,b,label
        2020-01-01 00:00:00,1,10,x
        2020-01-01 01:00:00,2,20,y
        2020-01-01 02:00:00,3,30,z
        """)
        #expect(table.columnNames == ["a", "b"])
        #expect(table.values == [[1, 2, 3], [10, 20, 30]])
        #expect(table.frequency == .hours(1))
        #expect(table.report.dateColumn == "date")
        #expect(table.report.skippedColumns == ["label"])
        #expect(table.timestamps?[1] == 1_577_840_400)
    }

    @Test func fillsMissingValuesLinearlyAndCountsThem() throws {
        let table = try TimeSeriesCSV.parse("""
        date,a,b
        2020-01-01,,5
        2020-01-02,2,NA
        2020-01-03,,
        2020-01-04,,7
        2020-01-05,8,nan
        """)
        #expect(table.values[0] == [2, 2, 4, 6, 8])
        expectClose(table.values[1], [5, 5 + 2.0 / 3, 5 + 4.0 / 3, 7, 7], rtol: 1e-6, atol: 1e-6)
        #expect(table.report.filledValues == ["a": 3, "b": 3])
        #expect(table.report.lines.first?.contains("filled 6 missing values") == true)
    }

    @Test func reportsIrregularTimestamps() throws {
        let table = try TimeSeriesCSV.parse("""
        date,a
        2020-01-01 00:00,1
        2020-01-01 01:00,2
        2020-01-01 02:00,3
        2020-01-01 05:00,4
        2020-01-01 06:00,5
        2020-01-01 06:00,6
        """)
        #expect(table.frequency == .hours(1))
        #expect(table.report.irregularSteps == 2)
        #expect(table.report.irregularExamples.first == "line 5: 2020-01-01 02:00:00 -> 2020-01-01 05:00:00")
    }

    @Test func nonNumericCellNamesLineAndColumn() {
        #expect(throws: ForecastError.nonNumericCell(path: "x.csv", line: 3, column: 3, name: "b", text: "oops")) {
            try TimeSeriesCSV.parse("date,a,b\n2020-01-01,1,2\n2020-01-02,3,oops\n", path: "x.csv")
        }
        let message = "\(ForecastError.nonNumericCell(path: "x.csv", line: 3, column: 3, name: "b", text: "oops"))"
        #expect(message == "x.csv:3: column 3 ('b'): cannot read 'oops' as a number")
    }

    @Test func selectsColumnsAndDateColumnByName() throws {
        let text = "when,x,y\n1990/1/1 0:00,1,2\n1990/1/2 0:00,3,4\n1990/1/3 0:00,5,6\n"
        let table = try TimeSeriesCSV.parse(text, dateColumn: "when", columns: ["y"])
        #expect(table.columnNames == ["y"])
        #expect(table.frequency == .days(1))
        #expect(throws: ForecastError.self) { try TimeSeriesCSV.parse(text, columns: ["zzz"]) }
        #expect(throws: ForecastError.self) { try TimeSeriesCSV.parse(text, dateColumn: "nope") }
    }

    @Test func quotedMonthlyFileLikeAirPassengers() throws {
        let table = try TimeSeriesCSV.parse("\"Month\",\"Passengers\"\r\n\"1949-01\",112\r\n\"1949-02\",118\r\n\"1949-03\",132")
        #expect(table.frequency == .months(1))
        #expect(table.columnNames == ["Passengers"])
        #expect(table.values == [[112, 118, 132]])
        #expect(Frequency.months(1).advance(table.timestamps![2]) == Timestamp.seconds(.init(year: 1949, month: 4)))
    }

    @Test func raggedRowAndEmptyFileAreErrors() {
        #expect(throws: ForecastError.malformedCSV(path: "<input>", line: 3, detail: "has 2 fields, the header has 3")) {
            try TimeSeriesCSV.parse("date,a,b\n2020-01-01,1,2\n2020-01-02,3\n")
        }
        #expect(throws: ForecastError.self) { try TimeSeriesCSV.parse("") }
        #expect(throws: ForecastError.self) { try TimeSeriesCSV.read(path: "/nonexistent/file.csv") }
    }

    @Test(arguments: [
        (["2020-01-01 00:00", "2020-01-01 00:15", "2020-01-01 00:30"], Frequency.minutes(15)),
        (["2020-01-01 00:00", "2020-01-01 01:00", "2020-01-01 02:00"], .hours(1)),
        (["2020-01-01", "2020-01-02", "2020-01-03"], .days(1)),
        (["2020-01-06", "2020-01-13", "2020-01-20"], .weeks(1)),
        (["2020-01", "2020-02", "2020-03"], .months(1)),
        (["2020-01", "2020-04", "2020-07"], .months(3)),
        (["2018", "2019", "2020"], .years(1)),
    ])
    func infersFrequenciesFromMinutesToYears(dates: [String], expected: Frequency) throws {
        let text = "date,v\n" + dates.enumerated().map { "\($1),\($0)" }.joined(separator: "\n")
        let table = try TimeSeriesCSV.parse(text)
        #expect(table.frequency == expected)
        #expect(table.report.irregularSteps == 0)
    }
}
