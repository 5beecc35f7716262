import Foundation
import Testing
import IntarsiaASIC
import IntarsiaCore
@testable import IntarsiaNAS

/// Hardware costs from measured tables (docs/NAS.md, "Hardware-cost sources"): a co-exploration
/// of three NAS-Bench-201 tasks on measured devices, its exact method against brute force over
/// the tables' own numbers, and failed evaluations for architectures a table lacks.
@Suite struct MeasuredCostTests {
    /// A hardware-cost file that cannot be read says why (InputFile's reason), not "no such file"
    /// for every failure: a directory is named as one, for the table, the operator table and the
    /// predictor model alike.
    @Test func unreadableSourceFilesSayWhy() throws {
        let dir = FileManager.default.temporaryDirectory.path
        for read in [{ _ = try MeasurementsTable.read(dir) }, { _ = try OperatorTable.read(dir) }, { _ = try CostPredictor.load(dir) }] as [() throws -> Void] {
            let error = #expect(throws: HardwareCostError.self) { try read() }
            #expect(error?.description.contains("is a directory") == true, "\(String(describing: error))")
            #expect(error?.description.contains("accepted") == true)
        }
        let missing = dir + "/no-such-measurements.csv"
        let error = #expect(throws: HardwareCostError.self) { try MeasurementsTable.read(missing) }
        #expect(error?.description.contains("no such file") == true)
    }

    static let mcuPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../validation/nas-hw/nats-bench-mcu-nrf5340-all.csv").standardizedFileURL.path
    static let mcu = try! MeasurementsTable.read(mcuPath)
    static let nb201 = try! NB201Table.load()

    /// `n` measured cells (every 37th row of the MCU table) as a space, with their accuracies.
    static func subset(_ n: Int, dataset: NB201Table.Dataset, offset: Int) -> (space: NB201Space, accuracy: [Double], rows: [Int]) {
        let rows = (0..<n).map { ($0 * 37 + offset) % mcu.architectures.count }
        let cells = rows.map { NB201Cell(mcu.architectures[$0])! }
        let index = Dictionary(nb201.cells.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return (NB201Space(cells: cells, dataset: dataset), cells.map { nb201.accuracy[dataset]![index[$0]!] }, rows)
    }

    /// A latency-and-memory table of the subset's rows; device B is A with every other cell 30%
    /// slower and the others 20% faster (numbers worked out here, not read back).
    static func table(_ rows: [Int], _ space: NB201Space, slow: Bool) -> (csv: String, ms: [Double], kb: [Double]) {
        let lat = mcu.values(.latency)!, kb = mcu.values(.memory)!
        let ms = rows.enumerated().map { i, r in slow ? lat[r] * (i % 2 == 0 ? 1.3 : 0.8) : lat[r] }
        let csv = "architecture,latency_ms,memory_kb\n" + rows.indices.map { "\(space.architectureString($0)),\(ms[$0]),\(kb[rows[$0]])\n" }.joined()
        return (csv, ms, rows.map { kb[$0] })
    }

    @Test func threeTaskCoExplorationAgainstMeasuredLatencyIsExact() throws {
        let sets: [(NB201Table.Dataset, Int)] = [(.cifar10, 0), (.cifar100, 5), (.imagenet16, 11)]
        var tasks: [CoExploration.Task] = [], figs: [[(ms: [Double], kb: [Double])]] = [[], []]
        var devices: [MeasuredDevice] = [MeasuredDevice(name: "a", figures: [:]), MeasuredDevice(name: "b", figures: [:])]
        for (d, off) in sets {
            let s = Self.subset(24, dataset: d, offset: off)
            tasks.append(CoExploration.Task(name: d.rawValue, space: s.space, table: s.accuracy))
            for (k, slow) in [false, true].enumerated() {
                let t = Self.table(s.rows, s.space, slow: slow)
                devices[k].figures[d.rawValue] = try MeasurementsTable.parse(t.csv, file: "dev\(k).csv").figures(space: s.space, missing: .error)
                figs[k].append((t.ms, t.kb))
            }
        }
        let latencyMs = 6000.0, memoryKB = 330.0
        var k = ASICConstraints()
        k.maxLatencyMs = latencyMs
        let p = try CoExploration(tasks: tasks, hardware: DeviceHardware(slots: [devices, devices]), constraints: k, memoryLimitKB: memoryKB, workers: 1)
        let exact = try p.exact()
        #expect(exact.unproven == 0)
        // Brute force over the CSV numbers: every device pair, assignment and cell triple.
        var best = -Double.infinity
        for h0 in 0..<2 { for h1 in 0..<2 { for a in 0..<8 {
            let slotDevice = [h0, h1], assign = [a & 1, (a >> 1) & 1, (a >> 2) & 1]
            for c0 in 0..<24 { for c1 in 0..<24 { for c2 in 0..<24 {
                let cs = [c0, c1, c2]
                var load = [0.0, 0.0], fits = true, acc = 0.0
                for t in 0..<3 {
                    let f = figs[slotDevice[assign[t]]][t]
                    load[assign[t]] += f.ms[cs[t]]
                    fits = fits && f.kb[cs[t]] <= memoryKB
                    acc += tasks[t].table![cs[t]]
                }
                if fits && load.max()! <= latencyMs { best = max(best, acc) }
            } } }
        } } }
        let o = try #require(exact.best)
        #expect(abs(o.weightedAccuracy - best) < 1e-9)
        #expect(o.feasible && o.latencyMs <= latencyMs)
        // The memory spec binds: without it the optimum is higher.
        let free = try CoExploration(tasks: tasks, hardware: DeviceHardware(slots: [devices, devices]), constraints: k, workers: 1).exact().best!
        #expect(free.weightedAccuracy > best + 1e-9)
        #expect(p.costProvenance(o.design).contains("cifar10:latency+memory=table"))
    }

    /// A search over the whole space against the 1,057 measured cells (the others failed
    /// evaluations): every feasible design is made of measured cells, and its latency is the sum
    /// of their measured latencies (one device runs the tasks one after another).
    @Test func aSearchOnTheMeasuredCellsOfTheWholeSpace() throws {
        let lat = Self.mcu.values(.latency)!
        let measured = Dictionary(Self.mcu.architectures.enumerated().map { ($1, lat[$0]) }, uniquingKeysWith: { a, _ in a })
        let tasks = [NB201Table.Dataset.cifar10, .cifar100].map { CoExploration.Task.nb201($0, table: Self.nb201) }
        var device = MeasuredDevice(name: "nrf5340", figures: [:])
        for t in tasks { device.figures[t.name] = try Self.mcu.figures(space: t.space, missing: .failed) }
        var k = ASICConstraints()
        k.maxLatencyMs = 7000
        let p = try CoExploration(tasks: tasks, hardware: DeviceHardware(slots: [[device]]), constraints: k, workers: 1)
        var feasible = 0
        p.evolution(budget: 300, seed: 4) { _, o in
            let ms = o.design.cells.enumerated().map { measured[tasks[$0].space.architectureString($1)] }
            if o.feasible {
                feasible += 1
                #expect(!ms.contains(nil) && abs(o.latencyMs - ms.reduce(0) { $0 + $1! }) < 1e-6 && o.latencyMs <= 7000)
            } else if ms.contains(nil) {
                #expect(o.violations.contains { $0.contains("failed: not measured in") })
            }
        }
        #expect(feasible > 50)
    }

    @Test func aTableMissingArchitecturesFailsOrRecordsFailures() throws {
        let s = Self.subset(6, dataset: .cifar10, offset: 3)
        let t = Self.table(Array(s.rows.prefix(4)), s.space, slow: false)
        #expect(throws: HardwareCostError.self) { try MeasurementsTable.parse(t.csv, file: "short.csv").figures(space: s.space, missing: .error) }
        do {
            _ = try MeasurementsTable.parse(t.csv, file: "short.csv").figures(space: s.space, missing: .error)
        } catch {
            #expect("\(error)".contains("short.csv: 2 of the space's 6 architectures have no row, the first \(s.space.architectureString(4))"))
        }
        let f = try MeasurementsTable.parse(t.csv, file: "short.csv").figures(space: s.space, missing: .failed)
        #expect(f.failed.keys.sorted() == [4, 5])
        let task = CoExploration.Task(name: "c", space: s.space, table: s.accuracy)
        let p = try CoExploration(tasks: [task], hardware: DeviceHardware(slots: [[MeasuredDevice(name: "d", figures: ["c": f])]]), constraints: ASICConstraints(), workers: 1)
        let o = p.evaluate(.init(hardware: 0, assignment: [0], cells: [5]))
        #expect(!o.feasible && !o.accuracyAsked && o.violations.contains { $0.hasPrefix("hardware_cost[c] failed: not measured in short.csv") })
        // The exact method never picks an unmeasured cell: the best measured one.
        let best = try #require(try p.exact().best)
        #expect(best.design.cells[0] == (0..<4).max { s.accuracy[$0] < s.accuracy[$1] })
    }

    @Test func unitsAndPowerOfATable() throws {
        let s = Self.subset(2, dataset: .cifar10, offset: 0)
        let csv = "arch,latency_s,power_mW,extra\n\(s.space.architectureString(0)),0.5,20,x\n\(s.space.architectureString(1)),2,10,y\n"
        let f = try MeasurementsTable.parse(csv, file: "p.csv").figures(space: s.space, missing: .error)
        #expect(f.latencyMs == [500, 2000])
        #expect(f.energyMJ == [10, 20])  // 20 mW × 0.5 s = 10 mJ; 10 mW × 2 s = 20 mJ
        #expect(f.memoryKB == nil)
        #expect(throws: HardwareCostError.self) { try MeasurementsTable.parse("architecture,latency_ms\n\(s.space.architectureString(0)),abc\n", file: "g.csv") }
        #expect(throws: HardwareCostError.self) { try MeasurementsTable.parse("architecture,latency_ms,latency_s\nx,1,2\n", file: "two.csv") }
        #expect(throws: HardwareCostError.self) { try MeasurementsTable.parse("architecture,latency_ms\nnot-a-cell,1\n", file: "n.csv").figures(space: s.space, missing: .failed) }
    }
}
