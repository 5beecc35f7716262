import Testing
import Foundation
import IntarsiaASIC
@testable import IntarsiaSpec

/// ASIC exploration on several threads gives the designs one thread gives (`ASICExplorer.explore`,
/// `workers`): designs shared out when the space is large, layers when it is small (SCALE-Sim's
/// memory style).
@Suite struct ParallelASICTests {
    func designs(_ accelerator: String, workers: Int) throws -> (designs: [ASICDesign], front: Set<Int>) {
        let text = """
        workload: {builtin: resnet20-cifar}
        platform: {asic: 45nm, pe_budget: 4096, bandwidth_bytes_per_cycle: 64}
        accelerators:
          - \(accelerator)
        """
        let s = try ASICDesignSpec.parse(text: text, file: "p.yaml")
        return ASICExplorer.explore(s.space, clockMHz: s.clockMHz, constraints: s.constraints, objectives: s.objectives, workers: workers)
    }

    func expectSame(_ a: (designs: [ASICDesign], front: Set<Int>), _ b: (designs: [ASICDesign], front: Set<Int>)) {
        #expect(a.front == b.front)
        #expect(a.designs.count == b.designs.count)
        for (x, y) in zip(a.designs, b.designs) {
            #expect(x.id == y.id && x.accelerators == y.accelerators && x.assignment == y.assignment && x.violations == y.violations)
            // Bit for bit: the layers are summed in the same order whatever the threads.
            #expect(x.latencyCycles.bitPattern == y.latencyCycles.bitPattern && x.energyMJ.bitPattern == y.energyMJ.bitPattern, "design \(x.id)")
        }
    }

    @Test func scaleSimLayersSharedAmongWorkersGiveTheSameDesigns() throws {
        // Three designs on three workers: fewer than eight per worker, so each design's layers
        // are shared out; a starved bandwidth makes the walk stall.
        let acc = "{dataflow: [systolic_ws, systolic_os, systolic_is], rows: 16, columns: 16, buffer_kib: 48, bandwidth_bytes_per_cycle: 6, memory: scalesim}"
        let one = try designs(acc, workers: 1), three = try designs(acc, workers: 3)
        #expect(one.designs.count == 3 && one.designs.allSatisfy { $0.latencyCycles.isFinite && $0.latencyCycles > 0 })
        expectSame(one, three)
    }

    @Test func closedFormDesignsSharedAmongWorkersGiveTheSameDesigns() throws {
        let acc = "{dataflow: [systolic_ws, systolic_os, systolic_is, nvdla, shidiannao, eyeriss], rows: [8, 16, 32], columns: [8, 16, 32], buffer_kib: [64, 256], bandwidth_bytes_per_cycle: [8, 32]}"
        let one = try designs(acc, workers: 1), two = try designs(acc, workers: 2)
        #expect(one.designs.count == 6 * 3 * 3 * 2 * 2)
        expectSame(one, two)
    }
}
