import Foundation
import IntarsiaRows
import IntarsiaReports

extension Bench {
    /// `intarsia bench`: measures the specs (FPGA templates, ASIC layers) and, with `nb201`, the
    /// NAS-Bench-201 table, and returns the tables to print.
    public static func report(specPaths: [String], secondsPerCase: Double, nb201 timeNB201: Bool) throws -> String {
        guard secondsPerCase.isFinite, secondsPerCase > 0, secondsPerCase <= maxSecondsPerCase else {
            throw UserError("--seconds \(secondsPerCase): accepted: a number of seconds above 0 and at most \(Int(maxSecondsPerCase)) (per spec and template)")
        }
        for s in specPaths { try NASJob.refuse(s, in: "bench") }
        var out = ""
        let rows = try run(specPaths: specPaths, secondsPerCase: secondsPerCase)
        if !rows.isEmpty {
            out += TextTable.render(header: ["spec", "template", "points", "seconds", "points_per_s_per_core", "cold_points_per_s_per_core"],
                                    rows: rows.map { [$0.spec, $0.label, String($0.points), String(format: "%.2f", $0.seconds),
                                                      String(format: "%.0f", $0.perSecond), String(format: "%.0f", $0.coldPerSecond)] })
        }
        if timeNB201 {
            out += TextTable.render(header: ["NAS-Bench-201", "seconds"], rows: try nb201().map { [$0.0, String(format: "%.4f", $0.1)] })
        }
        let asic = try specPaths.filter(ASICJob.isASIC).map { try runASIC(specPath: $0, secondsPerCase: secondsPerCase) }
        if !asic.isEmpty {
            out += TextTable.render(header: ["asic spec", "layer_points_per_s_per_core", "layers", "whole_network_us"],
                                    rows: asic.map { [$0.spec, String(format: "%.0f", $0.layersPerSecond), String($0.layers), String(format: "%.1f", $0.networkMicroseconds)] })
        }
        return out
    }
}
