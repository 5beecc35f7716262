import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaNAS

/// The fitting procedures on devices other than the microcontroller. HW-NAS-Bench's per-cell
/// figures (Edge GPU, Raspberry Pi 4, Pixel 3, Eyeriss, FPGA, Edge TPU) are stored only in a
/// pickle that the repository snapshot here does not hold (validation/nas-hw/FINDINGS.md), so
/// these are synthetic devices whose cost is NOT a sum over operators, with measurement noise:
/// - `parallel`: an accelerator that runs a cell's branches concurrently: a node is ready when
///   the slowest of its live inputs is (a critical path, max over edges), plus a cost per node
///   sum; 3% log-normal noise;
/// - `cache`: a CPU whose convolutions cost 35% more when another convolution feeds the same
///   node (their weights compete for the cache) and whose pools are memory bound; 5% noise.
/// Each has all 15,625 cells; operator tables and predictors are fitted on 100 (and 50) drawn
/// by a seed and judged on 3,000 others.
@Suite struct OtherDeviceTests {
    enum Device: CaseIterable { case parallel, cache }

    /// Per-operation latency (ms) of the synthetic devices (made-up figures, kept in proportion
    /// to a 3×3 convolution's 9 MACs per output against a 1×1's 1).
    static func cost(_ op: NB201Cell.Operation, _ device: Device) -> Double {
        switch op {
        case .none: return 0
        case .skipConnect: return device == .parallel ? 0.05 : 0.2
        case .conv1x1: return 1.1
        case .conv3x3: return 8.5
        case .avgPool3x3: return device == .parallel ? 0.6 : 2.4
        }
    }

    static func latency(_ cell: NB201Cell, _ device: Device, noise: inout SplitMix64) -> Double {
        let ends = NB201Cell.edgeEnds
        var ready = [0.0, -1, -1, -1], load = [0.0, 0, 0, 0], convs = [0, 0, 0, 0]
        for (e, op) in cell.edges.enumerated() where op == .conv1x1 || op == .conv3x3 { convs[ends[e].to] += 1 }
        for (e, op) in cell.edges.enumerated() where op != .none && ready[ends[e].from] >= 0 {
            let c = cost(op, device) * (device == .cache && convs[ends[e].to] > 1 && op != .avgPool3x3 && op != .skipConnect ? 1.35 : 1)
            ready[ends[e].to] = max(ready[ends[e].to], ready[ends[e].from] + c + 0.15)
            load[ends[e].to] += c
        }
        let cellMs = device == .parallel ? max(ready[3], 0) : load.reduce(0, +)
        // Box-Muller: a standard normal from two uniforms.
        let z = (-2 * log(max(noise.unit(), 1e-300))).squareRoot() * cos(2 * .pi * noise.unit())
        return (40 + 15 * cellMs) * exp((device == .parallel ? 0.03 : 0.05) * z)
    }

    static func measurements(_ device: Device) -> MeasurementsTable {
        var noise = SplitMix64(seed: device == .parallel ? 11 : 12)
        let ms = NB201Cell.all.map { latency($0, device, noise: &noise) }
        return MeasurementsTable(file: "\(device).csv", architectures: NB201Cell.all.map(\.description), columns: [("latency_ms", .latency, ms)])
    }

    static let tables = Dictionary(uniqueKeysWithValues: Device.allCases.map { ($0, measurements($0)) })

    static func heldOutSpearman(_ device: Device, train: Int, seed: UInt64, predictor: Bool) throws -> Double {
        try RealDeviceTests.heldOutSpearman(tables[device]!, train: train, seed: seed, predictor: predictor, heldOutLimit: 3000)
    }

    /// The bounds (>= 0.95 with 100 cells, >= 0.9 with 50) are NOT met on these devices
    /// (seeds 1 to 3, measured with predictor version 1 and two treatments of dead operations, not
    /// remeasured since: operator table 0.70 to 0.93, predictor on 100 cells 0.79 to 0.97, on 50
    /// 0.79 to 0.93; docs/NAS.md). What holds, and is checked: the trees learn part of what a sum
    /// over operators misses (the predictor's mean over seeds beats the table's on both devices),
    /// and no ranking falls below 0.65.
    @Test(arguments: Device.allCases) func predictorBeatsTheOperatorTableOffTheSum(device: Device) throws {
        var table = 0.0, predictor = 0.0
        for seed: UInt64 in 1...3 {
            let t = try Self.heldOutSpearman(device, train: 100, seed: seed, predictor: false)
            let hundred = try Self.heldOutSpearman(device, train: 100, seed: seed, predictor: true)
            let fifty = try Self.heldOutSpearman(device, train: 50, seed: seed, predictor: true)
            #expect(min(t, hundred, fifty) >= 0.65, "\(device) seed \(seed): table \(t), predictor 100 \(hundred), 50 \(fifty)")
            table += t / 3
            predictor += hundred / 3
        }
        #expect(predictor > table, "\(device): mean table \(table), predictor \(predictor)")
    }
}
