import Foundation
import IntarsiaRows
import IntarsiaReports

extension Bench {
    /// How much each case measures from the command line's `--seconds` and `--points` (at most
    /// one; neither: one second).
    public static func budget(seconds: Double?, points: Int?) throws -> Budget {
        switch (seconds, points) {
        case (.some, .some):
            throw UserError("--seconds and --points: give one of them (a time per case, or a count of points per case)")
        case (_, .some(let n)):
            guard n >= 1, n <= maxPointsPerCase else {
                throw UserError("--points \(n): accepted: a whole number of points from 1 to \(maxPointsPerCase) (per spec and template)")
            }
            return .points(n)
        case (let s, nil):
            let s = s ?? 1
            guard s.isFinite, s > 0, s <= maxSecondsPerCase else {
                throw UserError("--seconds \(s): accepted: a number of seconds above 0 and at most \(Int(maxSecondsPerCase)) (per spec and template)")
            }
            return .seconds(s)
        }
    }

    /// `intarsia bench`: measures the specs (FPGA templates, ASIC layers) and, with `nb201`, the
    /// NAS-Bench-201 table, and returns the tables to print.
    public static func report(specPaths: [String], budget: Budget, nb201 timeNB201: Bool) throws -> String {
        for s in specPaths { try NASJob.refuse(s, in: "bench") }
        var out = ""
        let rows = try run(specPaths: specPaths, budget: budget)
        if !rows.isEmpty {
            out += TextTable.render(header: ["spec", "template", "points", "seconds", "points_per_s_per_core", "cold_points_per_s_per_core"],
                                    rows: rows.map { [$0.spec, $0.label, String($0.points), String(format: "%.2f", $0.seconds),
                                                      String(format: "%.0f", $0.perSecond), String(format: "%.0f", $0.coldPerSecond)] })
        }
        if timeNB201 {
            out += TextTable.render(header: ["NAS-Bench-201", "seconds"], rows: try nb201().map { [$0.0, String(format: "%.4f", $0.1)] })
        }
        let asic = try specPaths.filter(ASICJob.isASIC).map { try runASIC(specPath: $0, budget: budget) }
        if !asic.isEmpty {
            out += TextTable.render(header: ["asic spec", "layer_points_per_s_per_core", "layers", "whole_network_us"],
                                    rows: asic.map { [$0.spec, String(format: "%.0f", $0.layersPerSecond), String($0.layers), String(format: "%.1f", $0.networkMicroseconds)] })
        }
        return out
    }
}
