import Foundation
import IntarsiaASIC
import IntarsiaFPGA
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia bench`: design points evaluated per second on one core, per spec and template,
/// in whatever build the binary is (run it from a release build).
public enum Bench {
    public struct Row: Sendable {
        public var spec: String
        public var template: TemplateKind
        public var points: Int
        public var seconds: Double
        public var perSecond: Double { Double(points) / seconds }
    }

    /// ASIC specs: layer evaluations per second on one core, and one whole network's time.
    public struct ASICRow: Sendable {
        public var spec: String
        public var layersPerSecond: Double
        public var networkMicroseconds: Double
        public var layers: Int
    }

    public static func runASIC(specPath: String, secondsPerCase: Double) throws -> ASICRow {
        let spec = try ASICJob.load(specPath)
        let accs = (0..<spec.space.count).map { spec.space.design($0)[0] }
        let layers = spec.space.networks[0].layers
        var checksum = 0.0, done = 0
        let start = Date()
        var elapsed = 0.0
        repeat {
            for a in accs { for l in layers { checksum += ASICModel.cost(l, on: a, technology: spec.space.technology).totalCycles } }
            done += accs.count * layers.count
            elapsed = Date().timeIntervalSince(start)
        } while elapsed < secondsPerCase
        if checksum.isNaN { print("nan") }
        let perLayer = Double(done) / elapsed
        return ASICRow(spec: spec.name, layersPerSecond: perLayer, networkMicroseconds: Double(layers.count) / perLayer * 1e6, layers: layers.count)
    }

    public static func run(specPaths: [String], secondsPerCase: Double) throws -> [Row] {
        var rows: [Row] = []
        for path in specPaths where !ASICJob.isASIC(path) {
            let spec = try DesignSpec.load(path: path)
            let model = spec.solvingModel
            for space in spec.space.templates {
                let points = (0..<min(space.count, 4096)).map { space.point(at: $0) }
                var checksum = 0.0
                var done = 0
                let start = Date()
                var elapsed = 0.0
                repeat {
                    for p in points { checksum += model.evaluate(p).latencyCycles }
                    done += points.count
                    elapsed = Date().timeIntervalSince(start)
                } while elapsed < secondsPerCase
                if checksum.isNaN { print("nan") }  // keeps the work observable
                rows.append(Row(spec: spec.name, template: space.template, points: done, seconds: elapsed))
            }
        }
        return rows
    }
}
