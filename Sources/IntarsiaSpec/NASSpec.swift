import Foundation
import IntarsiaCore
import IntarsiaASIC
import IntarsiaNAS
import IntarsiaFPGA
import IntarsiaRows

/// A NAS co-exploration spec: tasks (each a search space with an accuracy oracle) on a
/// heterogeneous ASIC (`platform: {asic: ...}` and `accelerators`, as in an ASIC spec) or on an
/// FPGA (`platform: u280` and `units`, sequential-template units). Documented in docs/NAS.md.
/// (Formerly: NAS-Bench-201 tasks on a heterogeneous ASIC; the hardware keys are
/// an ASIC spec's). Documented in docs/NAS.md.
public struct NASDesignSpec: Sendable {
    public var file: String
    public var name: String
    public var tasks: [CoExploration.Task]
    /// An ASIC's hardware keys, or nil for an FPGA (`fpga`).
    public var hardware: ASICDesignSpec.Hardware?
    public var fpga: FPGAUnitSpace?
    /// Measured devices as the hardware side (`devices`), per slot its candidates.
    public var devices: [[MeasuredDevice]]?
    /// The memory spec in kB (devices only).
    public var memoryLimitKB: Double?
    public var constraints: ASICConstraints
    public var strategies: [NASStrategy]
    public var budget: Int
    public var seed: UInt64
    public var outputPrefix: String

    static let topKeys = ["name", "tasks", "platform", "accelerators", "units", "devices", "constraints", "search", "output"]
    static let unitKeys = ["lanes", "weight_load", "scratchpad_kib", "word_bits", "spill"]

    /// Whether the spec text describes a NAS run (tasks, and accelerators or units). A sniff:
    /// text that is not YAML is no NAS spec, and the loader that reads it next reports the syntax
    /// error with its line.
    public static func isNAS(text: String) -> Bool {
        guard let root = try? YAMLDocument.root(text: text, file: ""), case .mapping(let m) = root.node else { return false }
        return m.keys.contains { $0.string == "tasks" } && m.keys.contains { ["accelerators", "units", "devices"].contains($0.string) }
    }

    public static func parse(text: String, file: String) throws -> NASDesignSpec {
        let root = try YAMLDocument.root(text: text, file: file)
        let top = try root.mapping(allowed: topKeys)
        let name = try root.specName(in: top)
        let tc = try root.required("tasks", in: top)
        let table = try NB201Table.load()
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var tasks = try tc.list().map { try parseTask($0, table: table, specName: name, specDirectory: base) }
        try readTaskHardwareCosts(try tc.list(), tasks: &tasks, base: base, specName: name)
        for (i, t) in tasks.enumerated() where tasks[..<i].contains(where: { $0.name == t.name }) {
            throw SpecError(file: file, key: "tasks[\(i)].name", value: t.name, problem: "two tasks have the same name", accepted: "a distinct name per task (key 'name')")
        }
        if tasks.isEmpty || tasks.count > 4 { throw tc.error("give 1 to 4 tasks", value: false) }
        var hw: ASICDesignSpec.Hardware?
        var fpga: FPGAUnitSpace?
        var (devices, constraints, memory) = try readDeviceSide(top, tasks: tasks, base: base, specName: name)
        try checkMeasuredSpecs(tasks, devices: devices, constraints: constraints, memoryKB: memory, cursor: top["constraints"] ?? root)
        let pc = devices != nil ? root : try root.required("platform", in: top)
        // An ASIC: the platform names a technology node, or sub-accelerators are listed.
        var isASIC = top["accelerators"] != nil
        if case .mapping(let pm) = pc.node, pm.keys.contains(where: { $0.string == "asic" }) { isASIC = true }
        if devices != nil {
        } else if isASIC {
            if let u = top["units"] { throw u.error("units belong to an FPGA platform; an ASIC takes 'accelerators'", value: false, accepted: "accelerators") }
            hw = try ASICDesignSpec.readHardware(top, of: root)
            constraints = try ASICDesignSpec.readConstraints(top["constraints"])
        } else {
            let platform = try PlatformSection.read(pc)
            let fpgaKeys = ["latency_ms", "energy_mj", "power_w", "dsp", "bram18k", "uram", "lut", "ff"]
            if let c = top["constraints"] {
                _ = try c.mapping(allowed: fpgaKeys + ["area_mm2"])
                if let a = try c.mapping(allowed: fpgaKeys + ["area_mm2"])["area_mm2"] {
                    throw a.error("an FPGA has no area in mm²; its resources are budgets (fractions of the part)", accepted: fpgaKeys.joined(separator: ", "))
                }
            }
            let k = try DesignSpec.readConstraints(top["constraints"])
            constraints.maxLatencyMs = k.maxLatencyMs
            constraints.maxEnergyMJ = k.maxEnergyMJ
            constraints.maxPowerW = k.maxPowerW
            let uc = try root.required("units", in: top, accepted: "a list of 1 to 4 units: {" + unitKeys.joined(separator: ", ") + "}")
            let list = try uc.list()
            if list.isEmpty || list.count > 4 { throw uc.error("give 1 to 4 units", value: false, accepted: "1 to 4 entries") }
            fpga = FPGAUnitSpace(slots: try list.map(readUnit), platform: platform, constraints: k)
        }
        var strategies = NASStrategy.allCases, budget = 5000, seed: UInt64 = 1
        if let s = top["search"] {
            let m = try s.mapping(allowed: ["strategy", "budget", "seed"])
            if let v = m["strategy"] {
                // `all` (a keyword, not a strategy) or names of `NASStrategy`.
                let names = try v.scalarOrList().map { c -> NASStrategy? in
                    let n = try c.string()
                    if n == "all" { return nil }
                    guard let s = NASStrategy(rawValue: n) else { throw c.error("unknown strategy", accepted: "all, " + NASStrategy.names.joined(separator: ", ")) }
                    return s
                }
                strategies = names.contains(nil) ? NASStrategy.allCases : names.compactMap { $0 }
            }
            if let v = m["budget"] { budget = try v.positiveInt(max: 10_000_000) }
            if let v = m["seed"] { seed = UInt64(try v.int(min: 0)) }
        }
        var prefix = "results/nas/\(name)"
        if let o = top["output"] {
            let m = try o.mapping(allowed: ["path"])
            if let p = m["path"] { prefix = try p.string() }
        }
        let count = devices.map { $0.reduce(1) { $0 * $1.count } } ?? hw.map { $0.knobs.reduce(1) { $0 * $1.dataflows.count * $1.rows.count * $1.columns.count * $1.bufferKiB.count * $1.bandwidthBytesPerCycle.count } }
            ?? fpga?.count ?? 1
        if count > 2000 {
            throw SpecError(file: file, key: hw == nil ? "units" : "accelerators", value: String(count), problem: "too many hardware candidates for the exact method", accepted: "at most 2000")
        }
        return NASDesignSpec(file: file, name: name, tasks: tasks, hardware: hw, fpga: fpga, devices: devices, memoryLimitKB: memory, constraints: constraints,
                             strategies: strategies, budget: budget, seed: seed, outputPrefix: prefix)
    }

    /// One FPGA unit's knob lists (a value or a list each).
    static func readUnit(_ c: Cursor) throws -> FPGAUnitOptions {
        let m = try c.mapping(allowed: unitKeys)
        let lanes = try c.required("lanes", in: m, accepted: "a positive integer or a list").scalarOrList().map { try $0.int(min: 1, max: 1 << 16, what: "a positive integer") }
        let loads = try m["weight_load"].map { try $0.scalarOrList().map { v -> WeightLoad in
            guard let w = WeightLoad(rawValue: try v.string()) else { throw v.error("unknown weight load", accepted: WeightLoad.allCases.map(\.rawValue).joined(separator: ", ")) }
            return w
        } } ?? [.doubleBuffered]
        let pads = try m["scratchpad_kib"].map { try $0.scalarOrList().map { try $0.int(min: 0, max: 1 << 20) } } ?? [4096]
        let words = try m["word_bits"].map { try $0.scalarOrList().map { v -> Int in
            let b = try v.int(min: 8, max: 1024)
            guard [32, 64, 128, 256, 512, 1024].contains(b) else { throw v.error("not an AXI width", accepted: "32, 64, 128, 256, 512 or 1024") }
            return b
        } } ?? [512]
        let spills = try m["spill"].map { try $0.scalarOrList().map { v -> SpillPolicy in
            guard let p = SpillPolicy(rawValue: try v.string()) else { throw v.error("unknown spill policy", accepted: SpillPolicy.allCases.map(\.rawValue).joined(separator: ", ")) }
            return p
        } } ?? [.overflow]
        return FPGAUnitOptions(lanes: lanes, weightLoads: loads, scratchpadKiB: pads, wordBits: words, spill: spills)
    }

    /// A table oracle: a CSV with a header naming the columns `architecture` and `accuracy`
    /// (percent), one row per architecture of the space, keyed by its architecture text.
    static func readAccuracyTable(_ c: Cursor, space: any ArchitectureSpace, base: String) throws -> [Double] {
        let path = try c.string()
        let full = path.hasPrefix("/") ? path : base + "/" + path
        guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
            throw c.error("cannot be read (relative paths are from the spec's folder)", accepted: "a CSV with columns architecture,accuracy")
        }
        var index: [String: Int] = [:]
        for i in 0..<space.count { index[space.architectureString(i)] = i }
        var acc = [Double?](repeating: nil, count: space.count)
        var columns: (arch: Int, acc: Int)?
        for (n, f) in CSV.parse(text).enumerated() where !(f.count == 1 && f[0].isEmpty) {
            let line = f.joined(separator: ",")
            guard let cols = columns else {
                guard let a = f.firstIndex(of: "architecture"), let b = f.firstIndex(of: "accuracy") else {
                    throw c.error("the header has no 'architecture' and 'accuracy' columns", accepted: "a CSV with columns architecture,accuracy")
                }
                columns = (a, b)
                continue
            }
            guard f.count > max(cols.arch, cols.acc), let i = index[f[cols.arch]], let a = Double(f[cols.acc]), a.isFinite, a >= 0, a <= 100 else {
                throw SpecError(file: full, key: "line \(n + 1)", value: String(line.prefix(120)), problem: "not an architecture of the space with an accuracy in percent",
                                accepted: "architecture text as the space writes it (e.g. \(space.architectureString(0))) and an accuracy 0 to 100")
            }
            acc[i] = a
        }
        if let missing = acc.firstIndex(where: { $0 == nil }) {
            throw c.error("\(acc.filter { $0 == nil }.count) of the space's \(space.count) architectures have no accuracy, e.g. \(space.architectureString(missing))",
                          accepted: "a row for every architecture of the space")
        }
        return acc.map { $0! }
    }

    /// The co-exploration, priced on `workers` threads (nil: all cores), which also solve the
    /// exact method's programs.
    public func problem(workers: Int? = nil) throws -> CoExploration {
        let workers = workers ?? Parallel.allCores
        if let d = devices { return try CoExploration(tasks: tasks, hardware: DeviceHardware(slots: d), constraints: constraints, memoryLimitKB: memoryLimitKB, workers: workers) }
        if let f = fpga { return try CoExploration(tasks: tasks, hardware: FPGAHardware(space: f), constraints: constraints, workers: workers) }
        let hardware = hardware!
        let space = ASICSpace(accelerators: hardware.knobs, networks: [], technology: hardware.technology, peBudget: hardware.peBudget,
                              bandwidthBudgetBytesPerCycle: hardware.bandwidth)
        return try CoExploration(tasks: tasks, space: space, clockMHz: hardware.clockMHz, constraints: constraints, workers: workers)
    }
}
