import Forecasting
import Foundation
import Testing
import TestSupport

/// `Forecaster.save` writes the weights (with the configuration in their header) before
/// `forecaster.json`; a save killed in between must still load the new model whole.
struct SavePairingTests {
    @Test func aSaveKilledBeforeTheConfigurationLoadsTheNewModel() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = ForecastFixtures.seasonalTable()
        let old = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(), seed: 1)
        try old.save(to: directory)
        let oldJSON = try Data(contentsOf: directory.appendingPathComponent(Forecaster.configurationFileName))

        // A new model of another shape saved over it, then forecaster.json put back as the
        // old one with an older date: what a kill between the two writes leaves.
        var configuration = ForecastFixtures.tinyConfiguration()
        configuration.backbone.hiddenSize = 24
        configuration.backbone.headCount = 3
        let new = try Forecaster(configuration: configuration, seed: 2)
        try new.save(to: directory)
        let configURL = directory.appendingPathComponent(Forecaster.configurationFileName)
        try oldJSON.write(to: configURL)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: configURL.path)

        let loaded = try Forecaster.load(from: directory)
        #expect(loaded.configuration.backbone.hiddenSize == 24)
        #expect(try loaded.predict(table, horizon: 6).point == (try new.predict(table, horizon: 6).point))

        // A forecaster.json edited after the save is taken as written (here: a wrong shape).
        var edited = configuration
        edited.backbone.hiddenSize = 32
        try JSONEncoder().encode(edited).write(to: configURL)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: configURL.path)
        #expect(throws: ForecastError.self) { _ = try Forecaster.load(from: directory) }

        // Without forecaster.json the embedded configuration still loads the model.
        try FileManager.default.removeItem(at: configURL)
        #expect(try Forecaster.load(from: directory).configuration.backbone.hiddenSize == 24)
    }
}
