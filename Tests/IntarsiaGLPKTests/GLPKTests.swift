import Dispatch
import Foundation
import Testing
@testable import IntarsiaGLPK

@Suite struct GLPKTests {
    /// max 3x + 2y, x + y <= 4, x + 3y <= 6, x <= 3: vertex (3, 1), objective 11 (by hand).
    func smallLP() -> LinearModel {
        var m = LinearModel(sense: .maximize)
        let x = m.addVariable("x", upper: 3, cost: 3)
        let y = m.addVariable("y", cost: 2)
        m.addConstraint("c1", [(x, 1), (y, 1)], upper: 4)
        m.addConstraint("c2", [(x, 1), (y, 3)], upper: 6)
        return m
    }

    @Test func solvesALinearProgram() throws {
        let r = try GLPK.solve(smallLP())
        #expect(r.status == .optimal)
        #expect(abs(r.objective! - 11) < 1e-9)
        #expect(abs(r.values[0] - 3) < 1e-9 && abs(r.values[1] - 1) < 1e-9)
    }

    /// A 0/1 knapsack, and its optimum by enumerating every subset.
    func knapsack(seed: UInt64, items: Int) -> (LinearModel, Double) {
        var s = seed
        func next() -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int((s >> 33) % 100) + 1 }
        let values = (0..<items).map { _ in Double(next()) }, weights = (0..<items).map { _ in Double(next()) }
        let capacity = weights.reduce(0, +) / 2
        var m = LinearModel(sense: .maximize)
        let vars = (0..<items).map { m.addVariable("x\($0)", kind: .binary, cost: values[$0]) }
        m.addConstraint("capacity", vars.map { ($0, weights[$0]) }, upper: capacity)
        var best = 0.0
        for mask in 0..<(1 << items) {
            var w = 0.0, v = 0.0
            for i in 0..<items where mask & (1 << i) != 0 { w += weights[i]; v += values[i] }
            if w <= capacity { best = max(best, v) }
        }
        return (m, best)
    }

    @Test(arguments: 0..<10)
    func integerOptimumEqualsBruteForce(seed: Int) throws {
        let (m, best) = knapsack(seed: UInt64(seed), items: 12)
        let r = try GLPK.solve(m)
        #expect(r.status == .optimal)
        #expect(abs(r.objective! - best) < 1e-6)
        #expect(m.isFeasible(r.values))
        #expect(abs(m.objective(of: r.values) - best) < 1e-6)
    }

    @Test func infeasibleAndUnbounded() throws {
        var m = LinearModel()
        let x = m.addVariable("x", kind: .integer)
        m.addConstraint("low", [(x, 1)], lower: 5)
        m.addConstraint("high", [(x, 1)], upper: 3)
        #expect(try GLPK.solve(m).status == .infeasible)
        var u = LinearModel(sense: .maximize)
        let y = u.addVariable("y", cost: 1)
        u.addConstraint("any", [(y, -1)], upper: 0)
        #expect(try GLPK.solve(u).status == .unbounded)
    }

    @Test func aGLPKErrorIsReportedAndTheNextSolveSucceeds() throws {
        var bad = LinearModel()
        let x = bad.addVariable("x", cost: 1)
        bad.addConstraint("twice", [(x, 1), (x, 2)], lower: 1)  // GLPK forbids duplicate indices in a row
        do {
            _ = try GLPK.solve(bad)
            Issue.record("a malformed model was accepted")
        } catch let e as GLPKError {
            #expect(e.message.contains("duplicate"), "\(e.message)")
        }
        let r = try GLPK.solve(smallLP())
        #expect(r.status == .optimal && abs(r.objective! - 11) < 1e-9)
    }

    @Test func solvesRunOnSeveralThreadsAtOnce() throws {
        final class Box: @unchecked Sendable { var objectives = [Double](repeating: 0, count: 16); let lock = NSLock() }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let (m, _) = knapsack(seed: UInt64(i % 4), items: 10)
            let r = try? GLPK.solve(m)
            box.lock.lock(); box.objectives[i] = r?.objective ?? -1; box.lock.unlock()
        }
        for i in 0..<16 {
            let (_, best) = knapsack(seed: UInt64(i % 4), items: 10)
            #expect(abs(box.objectives[i] - best) < 1e-6)
        }
    }

    @Test func incumbentIsAccepted() throws {
        let (m, best) = knapsack(seed: 7, items: 14)
        var o = SolveOptions()
        o.incumbent = [Double](repeating: 0, count: 14)  // the empty knapsack is feasible
        let r = try GLPK.solve(m, options: o)
        #expect(r.status == .optimal && abs(r.objective! - best) < 1e-6)
    }

    @Test func emittedLPFileResolvesToTheSameObjectiveWithGlpsol() throws {
        let (m, best) = knapsack(seed: 3, items: 12)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glpk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var o = SolveOptions()
        o.lpPath = dir.appendingPathComponent("knapsack.lp").path
        let r = try GLPK.solve(m, options: o)
        #expect(abs(r.objective! - best) < 1e-6)
        let glpsol = try #require(["/usr/bin/glpsol", "/usr/local/bin/glpsol"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                  "glpsol (Debian glpk-utils) is needed for this cross-check")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: glpsol)
        let report = dir.appendingPathComponent("out.txt").path
        p.arguments = ["--lp", o.lpPath!, "-o", report]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = try String(contentsOfFile: report, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Objective:") })
        let value = try #require(line.split(separator: " ").compactMap { Double($0) }.first)
        #expect(abs(value - best) < 1e-6)
        try? FileManager.default.removeItem(at: dir)
    }
}
