import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaCalibrate
@testable import IntarsiaDriver

/// designs/calibration/intar-u280-measurements.csv: the 16 published designs as a measurements
/// file, with the specs beside it.
@Suite struct ShippedMeasurementsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let file = root + "/designs/calibration/intar-u280-measurements.csv"

    @Test func everyPublishedDesignIsInTheFileWithItsMeasurementAndTheSameModelFigures() throws {
        let measurements = try MeasurementsFile.read(Self.file)
        #expect(measurements.map(\.design) == PublishedDesign.all.map(\.name))
        let constants = Calibration.defaultConstants(for: measurements)
        let cases = try CalibrateJob.cases(measurements, base: PlatformCatalog.u280, constants: constants)
        for (c, d) in zip(cases, PublishedDesign.all) {
            #expect(c.measurement.measuredCycles == d.measuredCycles, "\(d.name)")
            #expect(c.measurement.measuredDSP == Double(d.measuredDSP), "\(d.name)")
            #expect(!c.measurement.source.isEmpty)
            // The spec and knobs of the row describe the same design as PublishedDesigns.swift.
            #expect(c.evaluate(PlatformCatalog.u280).cycles == (try d.check()).modelCycles, "\(d.name)")
        }
    }

    @Test func badRowsNameTheFileLineColumnAndWhatIsAccepted() throws {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-measurements-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        func error(_ text: String) -> String {
            try? text.write(toFile: d + "/m.csv", atomically: true, encoding: .utf8)
            do {
                _ = try MeasurementsFile.read(d + "/m.csv")
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(error("design,spec,knobs\nx,s.yaml,lanes=1\n").contains("m.csv: column 'measured_cycles' missing from the header"))
        #expect(error("design,spec,knobs,measured_cycles\nx,s.yaml,lanes=1,-5\n").contains("m.csv line 2: measured_cycles '-5' is not a positive number"))
        #expect(error("design,spec,knobs,measured_cycles\nx,s.yaml,lanes,5\n").contains("m.csv line 2: knobs entry 'lanes' is not knob=value"))
        #expect(error("design,spec,knobs,measured_cycles,watts\nx,s.yaml,lanes=1,5,3\n").contains("m.csv: unknown column 'watts'"))
        #expect(error("design,spec,knobs,measured_cycles\nx,s.yaml,lanes=1,5\nx,s.yaml,lanes=2,6\n").contains("design 'x' appears 2 times"))
    }
}
