import Foundation
import Testing
import IntarsiaASIC
import IntarsiaCore
import IntarsiaFPGA
@testable import IntarsiaNAS

/// The hardware side's figures for the NAS-Bench-201 space against published measurements of the
/// same space: NATS-Bench-MCU's latency and energy of each cell on an nRF5340 microcontroller
/// (validation/nas-hw/, with its source and licence). A different machine, so the check is on
/// ranks (Spearman), not values: the cells that cost more here must cost more there.
@Suite struct RankCorrelationTests {
    static let published: [(arch: String, latencySeconds: Double, energyMillijoules: Double)] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../validation/nas-hw/nats-bench-mcu-nrf5340-all.csv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var rows: [(String, Double, Double)] = []
        var header: [String] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: ",").map(String.init)
            if header.isEmpty { header = f; continue }
            guard let a = header.firstIndex(of: "arch"), let l = header.firstIndex(of: "latency_s"), let e = header.firstIndex(of: "energy_mJ"),
                  let lat = Double(f[l]), let en = Double(f[e]) else { continue }
            rows.append((f[a], lat, en))
        }
        return rows
    }()

    static func spearman(_ a: [Double], _ b: [Double]) -> Double { RankCorrelation.spearman(a, b) }

    /// A computing edge whose output never reaches the cell's output node: TFLite drops it, the
    /// models here price it (the hardware would compute it unless a compiler removed it).
    static func hasDeadComputation(_ cell: NB201Cell) -> Bool {
        var useful = [false, false, false, true]
        for (e, ends) in NB201Cell.edgeEnds.enumerated().reversed() where cell.edges[e] != .none && useful[ends.to] { useful[ends.from] = true }
        return cell.activeEdges.contains { e, op in op != .skipConnect && !useful[NB201Cell.edgeEnds[e].to] }
    }

    static func correlations(_ p: CoExploration) -> (latency: Double, energy: Double, latencyLive: Double, energyLive: Double) {
        let space = p.tasks[0].space
        var index: [String: Int] = [:]
        for i in 0..<space.count { index[space.architectureString(i)] = i }
        let c = p.unitCosts(0, task: 0)
        let rows = published.compactMap { r in index[r.arch].map { (r, $0) } }
        let live = rows.filter { !hasDeadComputation(NB201Cell($0.0.arch)!) }
        func rho(_ r: [((arch: String, latencySeconds: Double, energyMillijoules: Double), Int)], _ ours: [Double], _ theirs: (Double, Double) -> Double) -> Double {
            spearman(r.map { ours[$0.1] }, r.map { theirs($0.0.latencySeconds, $0.0.energyMillijoules) })
        }
        return (rho(rows, c.cycles) { l, _ in l }, rho(rows, c.energy) { _, e in e }, rho(live, c.cycles) { l, _ in l }, rho(live, c.energy) { _, e in e })
    }

    @Test func theSampleIsThere() {
        #expect(Self.published.count >= 1000)
        #expect(Self.published.allSatisfy { NB201Cell($0.arch) != nil })
    }

    /// An Eyeriss-sized ASIC array (12x14 PEs, 108 KiB) and a 1024-lane FPGA unit on the U280:
    /// rho at least 0.7 on every sampled cell, 0.85 on the cells without dead computation
    /// (measured on the 1,057 sampled cells: 0.78 / 0.90 for the ASIC and 0.82 / 0.92 for the FPGA,
    /// with scripts/nas-rank-correlation.py, validation/nas-hw/rank-correlation.csv).
    ///
    /// TFLite drops computation whose output never reaches the cell's output, so the networks
    /// are priced with `dead_operations: prune`, as the microcontroller runs them.
    @Test func costsRankCellsAsTheMicrocontrollerDoes() throws {
        let t = ExactSelectionTests.shared
        func pruned(_ d: NB201Table.Dataset) -> CoExploration.Task {
            var task = CoExploration.Task.nb201(d, table: t)
            task.space = NB201Space(cells: t.cells, dataset: d, deadOperations: .prune)
            return task
        }
        let knobs = ASICSpace.AcceleratorKnobs(dataflows: [.eyeriss], rows: [12], columns: [14], bufferKiB: [108], bandwidthBytesPerCycle: [16])
        let asic = try CoExploration(tasks: [pruned(.cifar10)],
                                     space: ASICSpace(accelerators: [knobs], networks: [], technology: .nm28, peBudget: 168, bandwidthBudgetBytesPerCycle: 16),
                                     clockMHz: 1000, constraints: ASICConstraints())
        let unit = FPGAUnitOptions(lanes: [1024], weightLoads: [.doubleBuffered], scratchpadKiB: [1024])
        let fpga = try CoExploration(tasks: [pruned(.cifar10)], hardware: FPGAHardware(space: FPGAUnitSpace(slots: [unit], platform: PlatformCatalog.u280)),
                                     constraints: ASICConstraints())
        for (name, p) in [("asic", asic), ("fpga", fpga)] {
            let r = Self.correlations(p)
            print("rank correlation \(name): \(r)")
            #expect(r.latency >= 0.7 && r.energy >= 0.7, "\(name): \(r)")
            #expect(r.latencyLive >= 0.85 && r.energyLive >= 0.85, "\(name): \(r)")
        }
    }
}
