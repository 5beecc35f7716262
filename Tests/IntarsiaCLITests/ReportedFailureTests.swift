import Foundation
import IntarsiaRows
import Testing

/// Failures a run survives are reported in its output, never swallowed (issue 13, item 6): a
/// GLPK schedule that fails, a balanced split that stands in, a spec the sniffer cannot read.
@Suite(.serialized) struct ReportedFailureTests {
    /// The rows of a design CSV by column name.
    func rows(_ path: String) throws -> [[String: String]] {
        let rows = CSV.parse(try String(contentsOfFile: path, encoding: .utf8))
        let header = try #require(rows.first)
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// An off-chip budget of 1000 bytes that no schedule meets (the mlp's weights alone are
    /// far more): GLPK proves the program infeasible, the shortest path stands in, and the row
    /// and stderr say why, instead of a bare `fallback`.
    @Test func aFailedGLPKScheduleCarriesItsReason() throws {
        let spec = CLI.temp("glpk.yaml")
        try """
        workload: {builtin: mlp}
        platform: u280
        templates: {reconfigurable: {lanes: [64, 128], compute_units: 2}}
        constraints: {offchip_bytes: 1000}
        search: {scheduler: glpk}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        let out = CLI.temp("glpk.csv")
        let r = try CLI.run(["search", spec, "-o", out, "-q"])
        #expect(r.status == 2, "no design meets the budget: \(r.stderr)")
        let statuses = try rows(out).map { $0["solver_status"] ?? "" }
        #expect(statuses.count == 2)
        for s in statuses {
            #expect(s.hasPrefix("fallback: no schedule meets the off-chip budget offchip_bytes <= 1000; the least any schedule moves is "), "\(s)")
        }
        // One note per distinct reason, each naming it.
        let reasons = Set(statuses.map { String($0.dropFirst("fallback: ".count)) })
        let notes = r.stderr.split(separator: "\n").filter { $0.hasPrefix("note: ") && $0.contains("glpk schedule failed") }
        #expect(notes.count == reasons.count, "\(r.stderr)")
        for reason in reasons { #expect(notes.contains { $0.contains(reason) }, "\(reason) not reported: \(r.stderr)") }
    }

    /// A balanced design whose split cannot fit (GPT-2 medium's 8 MAC tasks need a lane each; the
    /// design has 4) says why in its row's solver_status, and stderr counts it.
    @Test func aBalancedFallbackCarriesItsReasonInTheRow() throws {
        let spec = CLI.temp("balanced.yaml")
        try """
        workload: {builtin: gpt2-medium}
        platform: u280
        templates: {dataflow: {lanes: [4], allocation: [balanced]}}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        let out = CLI.temp("balanced.csv")
        let r = try CLI.run(["search", spec, "-o", out, "-q"])
        #expect(FileManager.default.fileExists(atPath: out), "\(r.stderr)")
        let status = try #require(try rows(out).first?["solver_status"])
        #expect(status == "fallback: no balanced split fits, proportional instead: no split fits: the tasks need at least 8 lanes (budget 4)")
        #expect(r.stderr.contains("balanced designs where no split fits the budgets (proportional split used)"))
    }
}
