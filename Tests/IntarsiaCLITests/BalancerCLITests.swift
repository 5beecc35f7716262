import Foundation
import Testing

/// The balanced allocation through the command line: the issue-17 crash point, the status it
/// reports, and the bench row.
@Suite(.serialized) struct BalancerCLITests {
    /// Issue 17: died with "Unexpectedly found nil" (exit 132) on GLPK's answer.
    @Test func issue17CrashPointEvaluates() throws {
        let r = try CLI.run(["evaluate", "designs/intar/gpt2-medium-u280.yaml", "--set", "template=dataflow", "--set", "allocation=balanced",
                             "--set", "lanes=192", "--set", "weight_load=buffered", "--set", "word_bits=1024"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("lane split: optimal (exact bisection)"))
        let j = try CLI.run(["evaluate", "designs/intar/gpt2-medium-u280.yaml", "--set", "template=dataflow", "--set", "allocation=balanced",
                             "--set", "lanes=192", "--set", "weight_load=buffered", "--set", "word_bits=1024", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect(json["laneSplit"] as? String == "optimal (exact bisection)")
    }

    /// A balanced design whose split cannot fit says so instead of silently using the
    /// proportional split: one lane for eight MAC tasks.
    @Test func anUnfittableSplitIsReported() throws {
        let r = try CLI.run(["evaluate", "designs/intar/gpt2-medium-u280.yaml", "--set", "template=dataflow", "--set", "allocation=balanced",
                             "--set", "lanes=4"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("lane split: no balanced split fits, proportional instead: no split fits: the tasks need at least 8 lanes (budget 4)"))
    }

    /// Issue 17: nine stage splits ran into GLPK's 10 s limit (90 s) and the output still said
    /// "optimal"; the exact bisection proves each split, so "optimal" is now true, and quick.
    @Test func balancedStagesScheduleIsProvenAndQuick() throws {
        let start = Date()
        let r = try CLI.run(["schedule", "designs/intar/gpt2-medium-schedule-u280.yaml", "--balance-stages", "--solver", "dp",
                             "--set", "lanes=2048", "--set", "compute_units=8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("solver dp: optimal in "))
        #expect(!r.stdout.contains("not optimal"))
        #expect(Date().timeIntervalSince(start) < 30, "a debug build; the release build takes under 0.1 s")
    }

    @Test func benchReportsTheBalancedDataflowRow() throws {
        let r = try CLI.run(["bench", "designs/intar/mlp-u280.yaml", "--seconds", "0.01"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dataflow-balanced"))
    }
}
