import Testing
@testable import IntarsiaSpec
import Foundation
import IntarsiaNAS
import IntarsiaASIC
import IntarsiaCore
import IntarsiaFPGA

@Suite struct NASSpecTests {
    let base = """
    tasks:
      - {dataset: cifar10, weight: 1}
      - {dataset: cifar100, weight: 1, oracle: {command: "toy {arch} {task}"}}
    platform: {asic: 28nm, pe_budget: 1024, bandwidth_bytes_per_cycle: 32}
    accelerators:
      - {dataflow: nvdla, rows: 16, columns: 16, buffer_kib: 64, bandwidth_bytes_per_cycle: 16}
    constraints: {latency_ms: 2}
    """

    func error(_ text: String) -> SpecError? {
        do { _ = try NASDesignSpec.parse(text: text, file: "nas.yaml"); return nil } catch { return error as? SpecError }
    }

    @Test func readsANASSpecAndNamesItAfterTheFile() throws {
        #expect(NASDesignSpec.isNAS(text: base))
        let s = try NASDesignSpec.parse(text: base, file: "dir/two-tasks.yaml")
        #expect(s.name == "two-tasks")
    }

    @Test func missingKeysAreNamedWithTheirPath() {
        let noDataset = error(base.replacingOccurrences(of: "{dataset: cifar10, weight: 1}", with: "{weight: 1}"))
        #expect(noDataset?.key == "tasks[0].dataset" && noDataset?.problem.hasPrefix("missing required key") == true)
        let noCommand = error(base.replacingOccurrences(of: "{command: \"toy {arch} {task}\"}", with: "{timeout_s: 5}"))
        #expect(noCommand?.key == "tasks[1].oracle.command" && noCommand?.accepted?.contains("{arch}") == true)
        // A platform without its technology node is an error, not a crash.
        let noNode = error(base.replacingOccurrences(of: "asic: 28nm, ", with: ""))
        #expect(noNode?.key == "platform.asic" && noNode?.problem == "missing required key")
    }

    /// A small inline space for the tests below: 2·2·2 = 8 architectures.
    static let tiny = """
    {name: tiny, input: {channels: 3, height: 8, width: 8}, choices: {f: [4, 8], k: [1, 3], w: [2, 4]},
     network: [{conv: {filters: $f, kernel: $k}}, relu, {conv: {filters: $w, kernel: 3}}, global_pool, {linear: {outputs: 2}}]}
    """

    func spec(_ task: String) -> String {
        """
        tasks:
          - \(task)
        platform: {asic: 28nm, pe_budget: 1024, bandwidth_bytes_per_cycle: 32}
        accelerators:
          - {dataflow: [nvdla, eyeriss], rows: [4, 8], columns: 8, buffer_kib: 64, bandwidth_bytes_per_cycle: 16}
          - {dataflow: [shidiannao], rows: 8, columns: [4, 8], buffer_kib: 64, bandwidth_bytes_per_cycle: 16}
        """
    }

    @Test func spacesAndOraclesOfATask() throws {
        // A built-in backbone, named after its space, with no oracle: a hardware-only task.
        let b = try NASDesignSpec.parse(text: spec("{space: resnet9-like}"), file: "nas.yaml")
        #expect(b.tasks[0].name == "resnet9-like" && b.tasks[0].space.count == 1728 && b.tasks[0].accuracySource == "none")
        // An inline space with a table oracle keyed by architecture text.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nas-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let space = try NASDesignSpec.parse(text: spec("{name: t, space: \(Self.tiny)}"), file: "nas.yaml").tasks[0].space
        var csv = "architecture,accuracy\n"
        for i in 0..<space.count { csv += "\"\(space.architectureString(i))\",\(50 + i)\n" }
        try csv.write(to: dir.appendingPathComponent("acc.csv"), atomically: true, encoding: .utf8)
        let withTable = try NASDesignSpec.parse(text: spec("{name: t, space: \(Self.tiny), oracle: {table: acc.csv}, min_accuracy: 51}"),
                                                file: dir.appendingPathComponent("nas.yaml").path)
        #expect(withTable.tasks[0].table == (0..<8).map { Double(50 + $0) })
        // A table missing a row names how many are missing and one of them.
        try "architecture,accuracy\n\"\(space.architectureString(0))\",50\n".write(to: dir.appendingPathComponent("short.csv"), atomically: true, encoding: .utf8)
        let short = error(spec("{name: t, space: \(Self.tiny), oracle: {table: \(dir.appendingPathComponent("short.csv").path)}}"))
        #expect(short?.key == "tasks[0].oracle.table" && short?.problem.hasPrefix("7 of the space's 8 architectures have no accuracy") == true)
        // A minimum accuracy without an oracle, an unknown space, a dataset beside a space.
        #expect(error(spec("{space: unet, min_accuracy: 50}"))?.key == "tasks[0].min_accuracy")
        let unknown = error(spec("{space: vgg}"))
        #expect(unknown?.key == "tasks[0].space" && unknown?.value == "vgg" && unknown?.accepted?.contains("resnet9-like") == true)
        #expect(error(spec("{space: unet, dataset: cifar10}"))?.key == "tasks[0].dataset")
        #expect(error(spec("{space: {file: nowhere.yaml}}"))?.key == "tasks[0].space.file")
    }

    /// On a reduced template space with a table oracle, the exact method's optimum equals a brute
    /// force over every hardware candidate, assignment and pair of architectures.
    @Test func exactEqualsBruteForceOnATemplateSpace() throws {
        var rng = SplitMix64(seed: 7)
        let parsed = try NASDesignSpec.parse(text: spec("{name: a, space: \(Self.tiny)}"), file: "nas.yaml")
        let space = parsed.tasks[0].space
        let acc1 = (0..<space.count).map { _ in 40 + Double(rng.next() % 5000) / 100 }
        let acc2 = (0..<space.count).map { _ in 40 + Double(rng.next() % 5000) / 100 }
        let tasks = [CoExploration.Task(name: "a", space: space, table: acc1), CoExploration.Task(name: "b", space: space, weight: 2, table: acc2)]
        let h = try #require(parsed.hardware)
        let asic = ASICSpace(accelerators: h.knobs, networks: [], technology: h.technology, peBudget: h.peBudget, bandwidthBudgetBytesPerCycle: h.bandwidth)
        // Limits between the cheapest and the dearest designs, so that some designs break them.
        let loose = try CoExploration(tasks: tasks, space: asic, clockMHz: 1000, constraints: ASICConstraints())
        var lat: [Double] = [], energy: [Double] = []
        for hw in 0..<loose.hardware.count { for a in loose.assignments { for x in 0..<space.count { for y in 0..<space.count {
            let o = loose.evaluate(.init(hardware: hw, assignment: a, cells: [x, y]))
            lat.append(o.latencyMs); energy.append(o.energyMJ)
        } } } }
        var k = ASICConstraints()
        k.maxLatencyMs = lat.sorted()[lat.count / 3]
        k.maxEnergyMJ = energy.sorted()[energy.count / 2]
        let p = try CoExploration(tasks: tasks, space: asic, clockMHz: 1000, constraints: k)
        var best = -Double.infinity
        for hw in 0..<p.hardware.count { for a in p.assignments { for x in 0..<space.count { for y in 0..<space.count {
            let o = p.evaluate(.init(hardware: hw, assignment: a, cells: [x, y]))
            if o.feasible { best = max(best, o.weightedAccuracy) }
        } } } }
        let exact = try #require(try p.exact().best)
        #expect(best > 0 && abs(exact.weightedAccuracy - best) < 1e-9)
    }

    @Test func anFPGAHardwareSide() throws {
        let fpga = """
        tasks:
          - {dataset: cifar10}
        platform: u280
        units:
          - {lanes: [512, 1024], weight_load: [double_buffered, buffered]}
        constraints: {latency_ms: 0.2, dsp: 0.8}
        """
        let s = try NASDesignSpec.parse(text: fpga, file: "f.yaml")
        #expect(NASDesignSpec.isNAS(text: fpga) && s.hardware == nil && s.fpga?.count == 4 && s.fpga?.constraints.dspFraction == 0.8)
        let load = error(fpga.replacingOccurrences(of: "buffered]", with: "streamed]"))
        #expect(load?.key == "units[0].weight_load[1]" && load?.value == "streamed" && load?.accepted?.contains("double_buffered") == true)
        #expect(error(fpga.replacingOccurrences(of: "dsp: 0.8", with: "area_mm2: 3"))?.key == "constraints.area_mm2")
        // A template space on the FPGA: each architecture's network through the FPGA model, the
        // unit sized for the most demanding one.
        let t = try NASDesignSpec.parse(text: fpga.replacingOccurrences(of: "{dataset: cifar10}", with: "{name: t, space: \(Self.tiny)}"), file: "f.yaml")
        let p = try t.problem()
        let space = t.tasks[0].space
        let unit = t.fpga!.design(0)[0]
        var most = FPGAUnits.Resources()
        for i in 0..<space.count {
            let e = FPGAUnits.evaluation(of: unit, workload: try space.workload(i, dataType: .int8), platform: PlatformCatalog.u280)
            #expect(p.unitCosts(0, task: 0).cycles[i] == e.cycles)
            most = most.union(e.resources)
        }
        #expect(most.dsp > 0 && most.lut > 0)
        let sh = PlatformCatalog.u280.shell
        // The check sums the unit's largest needs and the shell against the spec's fractions: at
        // 80% of the DSPs the tiny unit fits; with a DSP fraction just below its need, it breaks.
        #expect(p.hardwareViolations(0).isEmpty)
        let tight = Double(most.dsp + sh.dsp - 1) / Double(PlatformCatalog.u280.dsp)
        let broken = try NASDesignSpec.parse(text: fpga.replacingOccurrences(of: "{dataset: cifar10}", with: "{name: t, space: \(Self.tiny)}")
            .replacingOccurrences(of: "dsp: 0.8", with: "dsp: \(tight)"), file: "f.yaml").problem()
        #expect(broken.hardwareViolations(0).contains { $0.hasPrefix("dsp ") })
        #expect(error(fpga.replacingOccurrences(of: "lanes: [512, 1024], ", with: ""))?.key == "units[0].lanes")
    }

    /// A problem with fewer distinct designs (4) than the budget: every strategy ends, none
    /// evaluates more than the budget, and the distinct designs it saw are at most 4.
    @Test func aSpaceSmallerThanTheBudgetEnds() throws {
        let text = """
        tasks:
          - {name: a, space: {name: two, input: {channels: 1, height: 4, width: 4}, choices: {f: [2, 4]}, network: [{conv: {filters: $f, kernel: 3}}]}}
          - {name: b, space: {name: two, input: {channels: 1, height: 4, width: 4}, choices: {f: [2, 4]}, network: [{conv: {filters: $f, kernel: 3}}]}}
        platform: {asic: 28nm, pe_budget: 1024, bandwidth_bytes_per_cycle: 32}
        accelerators:
          - {dataflow: nvdla, rows: 8, columns: 8, buffer_kib: 64, bandwidth_bytes_per_cycle: 16}
        """
        let p = try NASDesignSpec.parse(text: text, file: "tiny.yaml").problem()
        for strategy in ["random", "evolution", "reinforce", "moea"] {
            var seen = Set<CoExploration.Design>(), n = 0
            let visit: (Int, CoExploration.Outcome) -> Void = { _, o in seen.insert(o.design); n += 1 }
            switch strategy {
            case "random": p.randomSearch(budget: 50, seed: 1, visit: visit)
            case "evolution": p.evolution(budget: 50, seed: 1, visit: visit)
            case "reinforce": p.policyGradient(budget: 50, seed: 1, visit: visit)
            default: p.multiObjective(budget: 50, seed: 1, visit: visit)
            }
            #expect(n <= 50 && seen.count <= 4 && seen.count >= 1, "\(strategy): \(n) evaluations, \(seen.count) designs")
        }
    }
}

/// `hardware_cost` and `devices` (docs/NAS.md, "Hardware-cost sources"): every error names the
/// file, the key, the value and what is accepted.
@Suite struct NASHardwareCostSpecTests {
    static let dir: URL = {
        let d = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nashw-spec-\(getpid())")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let cells = (try? NB201Table.load().cells) ?? []  // the space's numbering
        // Three cells of the space measured: latency (s), energy (mJ) and memory (kB).
        let rows = (0..<3).map { "\(cells[$0 * 1000]),\(Double($0 + 1) * 0.5),\(Double($0 + 1) * 2),\(100 * ($0 + 1))\n" }.joined()
        try? ("architecture,latency_s,energy_mJ,int8_kb\n" + rows).write(to: d.appendingPathComponent("m.csv"), atomically: true, encoding: .utf8)
        try? "architecture,latency_s\n".write(to: d.appendingPathComponent("lat.csv"), atomically: true, encoding: .utf8)
        return d
    }()

    func spec(_ cost: String, constraints: String = "{latency_ms: 5000, memory_kb: 250}") -> String {
        """
        tasks:
          - {dataset: cifar10}
          - {dataset: cifar100, hardware_cost: {table: m.csv, missing: failed}}
        devices:
          - [{name: mcu, hardware_cost: \(cost)}, {name: mcu2, hardware_cost: {cifar10: {table: m.csv, missing: failed}}}]
        constraints: \(constraints)
        """
    }

    func parse(_ text: String) throws -> NASDesignSpec { try NASDesignSpec.parse(text: text, file: Self.dir.appendingPathComponent("s.yaml").path) }
    func error(_ text: String) -> SpecError? {
        do { _ = try parse(text); return nil } catch { return error as? SpecError }
    }

    @Test func devicesWithMeasuredTables() throws {
        let s = try parse(spec("{table: m.csv, missing: failed}"))
        #expect(s.devices?.count == 1 && s.devices?[0].map(\.name) == ["mcu", "mcu2"] && s.memoryLimitKB == 250)
        let f = try #require(s.devices?[0][0].figures["cifar10"])
        #expect(f.latencyMs[0] == 500 && f.latencyMs[1000] == 1000 && f.energyMJ?[2000] == 6 && f.memoryKB?[1000] == 200)
        #expect(f.failed.count == 15_625 - 3 && f.failed[1] != nil)
        #expect(s.tasks[1].hardwareCost?.kind == .table)
        let p = try s.problem(workers: 1)
        let best = try #require(try p.exact().best)
        // Memory 250 kB admits cells 0 and 1000 only; the more accurate one per task.
        #expect(best.design.cells.allSatisfy { [0, 1000].contains($0) })
        #expect(p.costProvenance(best.design).contains("cifar100:latency+energy+memory=table"))
    }

    @Test func badHardwareCostsAreNamed() {
        let missing = error(spec("{table: m.csv}"))
        #expect(missing?.key == "devices[0][0].hardware_cost.table" && missing?.problem.contains("15622 of the space's 15625 architectures have no row, the first") == true)
        #expect(missing?.problem.contains("m.csv") == true)
        let none = error(spec("{table: nowhere.csv}"))
        #expect(none?.key == "devices[0][0].hardware_cost.table" && none?.problem.contains("nowhere.csv: no such file") == true)
        let two = error(spec("{table: m.csv, predictor: p.json}"))
        #expect(two?.problem == "give exactly one source")
        let noEnergy = error(spec("{table: lat.csv, missing: failed}", constraints: "{energy_mj: 5}"))
        #expect(noEnergy?.problem.contains("gives task cifar10 no energy") == true)
        let bad = error(spec("{table: m.csv, missing: skip}"))
        #expect(bad?.key == "devices[0][0].hardware_cost.missing" && bad?.accepted == "error, failed")
        let noCost = error(spec("{cifar100: {table: m.csv, missing: failed}}").replacingOccurrences(of: "mcu2, hardware_cost: {cifar10: {table: m.csv, missing: failed}}", with: "mcu2"))
        #expect(noCost?.key == "devices[0][0]" && noCost?.problem.contains("device mcu has no hardware cost for task cifar10") == true)
        let platform = error(spec("{table: m.csv, missing: failed}") + "\nplatform: u280\n")
        #expect(platform?.problem.contains("measured devices are the whole hardware side") == true)
        let notAModel = error(spec("{predictor: m.csv}"))
        #expect(notAModel?.key == "devices[0][0].hardware_cost.predictor" && notAModel?.problem.contains("not a predictor model") == true)
    }
}
