import Testing
import Foundation
@testable import IntarsiaASIC

/// Prints the model's error on every recorded SCALE-Sim row (INTARSIA_SCALESIM_REPORT=1 only).
@Suite struct ScaleSimReport {
    @Test func report() throws {
        guard ProcessInfo.processInfo.environment["INTARSIA_SCALESIM_REPORT"] != nil else { return }
        var text = ""
        for f in ["scalesim-figures.csv", "scalesim-new.csv", "scalesim-heldout.csv", "scalesim-heldout2.csv", "scalesim-h12-variants.csv", "scalesim-heldout3.csv"] {
            guard let rs = try? ScaleSimMemoryTests.rows(f) else { continue }
            var worst = 0.0, inside = 0
            for r in rs {
                let c = ASICModel.cost(r.layer, on: r.accelerator, technology: .nm45)
                let e = c.totalCycles / r.total - 1
                if abs(e) <= 0.05 { inside += 1 }
                if abs(e) > abs(worst) { worst = e }
                text += "\(f) \(r.name) \(Int(r.total)) \(Int(c.totalCycles)) \(String(format: "%+.2f%%", e * 100))\n"
            }
            text += "SUMMARY \(f): \(inside)/\(rs.count) within 5%, worst \(String(format: "%+.2f%%", worst * 100))\n"
        }
        try text.write(toFile: "/tmp/scalesim-report.txt", atomically: true, encoding: .utf8)
    }
}
