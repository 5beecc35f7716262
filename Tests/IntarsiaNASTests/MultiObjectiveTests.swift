import Testing
import Foundation
import IntarsiaCore
@testable import IntarsiaNAS

@Suite struct MultiObjectiveTests {
    /// The search is deterministic for a seed, spends its whole budget and evaluates no design
    /// twice.
    @Test func deterministicAndNoRepeats() throws {
        let p = BundledSpec.problem
        func run() -> [CoExploration.Design] {
            var seen: [CoExploration.Design] = []
            p.multiObjective(budget: 600, seed: 3) { _, o in seen.append(o.design) }
            return seen
        }
        let a = run(), b = run()
        #expect(a == b)
        #expect(Set(a).count == a.count)
        #expect(a.count == 600)
    }
}
