import Foundation
import IntarsiaNAS
import IntarsiaASIC

/// The measured side of a NAS spec (docs/NAS.md, "Hardware-cost sources"): a task's own
/// `hardware_cost`, and `devices`, a hardware side of measured devices.
extension NASDesignSpec {
    static let sourceKeys = ["table", "missing", "operator_table", "predictor", "command", "timeout_s", "cache", "verify", "verify_designs", "verify_rivals"]
    static let sourceAccepted = "{table: CSV, missing: error|failed}, {operator_table: CSV}, {predictor: MODEL, verify: {table: CSV} or {command: CMD}, verify_designs: K, verify_rivals: R} or {command: CMD, timeout_s: S, cache: PATH}"

    /// Where sources are read from: the spec's folder and name (a measurement cache's default).
    struct SourceContext {
        var base: String
        var specName: String
    }

    /// One hardware-cost source, read into figures for `space` (task `task`'s).
    static func readHardwareCost(_ c: Cursor, space: any ArchitectureSpace, task: String, in context: SourceContext) throws -> MeasuredFigures {
        let base = context.base
        let m = try c.mapping(allowed: sourceKeys)
        let given = ["table", "operator_table", "predictor", "command"].filter { m[$0] != nil }
        guard given.count == 1 else { throw c.error("give exactly one source", accepted: sourceAccepted) }
        func path(_ k: String) throws -> String {
            let p = try m[k]!.string()
            return URL(fileURLWithPath: p.hasPrefix("/") ? p : base + "/" + p).standardizedFileURL.path
        }
        func wrap<T>(_ k: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as HardwareCostError {
                throw m[k]!.error("\(e.description)", value: true, accepted: nil)
            }
        }
        var missing = MeasurementsTable.Missing.error
        if let mc = m["missing"] {
            guard given == ["table"] else { throw mc.error("applies to a table only", accepted: "missing with table") }
            guard let v = MeasurementsTable.Missing(rawValue: try mc.string()) else {
                throw mc.error("unknown treatment of architectures without a row", accepted: MeasurementsTable.Missing.allCases.map(\.rawValue).joined(separator: ", "))
            }
            missing = v
        }
        if given != ["command"], let k = ["timeout_s", "cache"].first(where: { m[$0] != nil }) {
            throw m[k]!.error("applies to a measurement command only", accepted: "\(k) with command")
        }
        if given != ["predictor"], let k = ["verify", "verify_designs", "verify_rivals"].first(where: { m[$0] != nil }) {
            throw m[k]!.error("applies to a predictor only", accepted: "\(k) with predictor")
        }
        switch given[0] {
        case "command": return try measurementFigures(m, space: space, task: task, in: context)
        case "table": return try wrap("table") { try MeasurementsTable.read(try path("table")).figures(space: space, missing: missing) }
        case "operator_table": return try wrap("operator_table") { try OperatorTable.read(try path("operator_table")).figures(space: space, source: try path("operator_table")) }
        default:
            let f = try wrap("predictor") { try CostPredictor.load(try path("predictor")).figures(space: space, source: try path("predictor")) }
            return f.verified(by: try readVerification(m, predicted: f, space: space, task: task, in: context))
        }
    }

    /// A predictor's `verify: {table: CSV, missing: ...} | {command: CMD, timeout_s, cache}` and
    /// `verify_designs: K` (default 10, at most 1,000): the measurement its best designs are
    /// checked by (`MeasurementVerification`); nil without `verify`. A table must give every
    /// figure the predictor gives.
    static func readVerification(_ m: [String: Cursor], predicted: MeasuredFigures, space: any ArchitectureSpace, task: String,
                                 in context: SourceContext) throws -> MeasurementVerification? {
        guard let vc = m["verify"] else {
            if let k = m["verify_designs"] ?? m["verify_rivals"] { throw k.error("without verify there is nothing to measure the designs with", accepted: "verify_designs and verify_rivals with verify") }
            return nil
        }
        let designs = try m["verify_designs"]?.int(min: 1, max: 1000) ?? 10
        let rivals = try m["verify_rivals"]?.int(min: 0, max: 100) ?? defaultRivals
        let vm = try vc.mapping(allowed: ["table", "missing", "command", "timeout_s", "cache"])
        if vm["command"] != nil && vm["table"] == nil {
            return MeasurementVerification(command: try measurementOracle(vm, in: context), space: space, task: task, designs: designs, rivals: rivals)
        }
        guard vm["table"] != nil, vm["command"] == nil else { throw vc.error("give exactly one measurement", accepted: "verify: {table: CSV, missing: error|failed} or {command: CMD, timeout_s: S, cache: PATH}") }
        let table = try readHardwareCost(vc, space: space, task: task, in: context)
        for (name, has, needs) in [("energy", table.energyMJ != nil, predicted.energyMJ != nil), ("memory", table.memoryKB != nil, predicted.memoryKB != nil)] where needs && !has {
            throw vc.error("\(table.source) gives no \(name), which the predictor gives", value: false, accepted: "a verification table with every figure of the predictor")
        }
        return MeasurementVerification(table: table, designs: designs, rivals: rivals)
    }

    /// `verify_rivals` when not given: each round measures the pick and its 8 nearest rivals per
    /// task. Chosen on the microcontroller's three-task check, seeds 1 to 5: with 4, seeds 4 and 5
    /// end 0.56 to 0.65 short of the optimum; with 8, every run is within 0.5 and settles before
    /// the round limit (docs/NAS.md, "Predictor-driven search").
    static let defaultRivals = 8

    /// Every task entry's `hardware_cost`, set on the parsed tasks.
    static func readTaskHardwareCosts(_ entries: [Cursor], tasks: inout [CoExploration.Task], base: String, specName: String) throws {
        for (i, e) in entries.enumerated() {
            guard case .mapping(let mm) = e.node, mm.keys.contains(where: { $0.string == "hardware_cost" }) else { continue }
            tasks[i].hardwareCost = try readHardwareCost(try e.required("hardware_cost", in: e.mapping(allowed: taskKeys)), space: tasks[i].space, task: tasks[i].name,
                                                         in: SourceContext(base: base, specName: specName))
        }
    }

    /// `devices`: 1 to 4 slots, each a device or a list of candidate devices `{name,
    /// hardware_cost}`; a device's `hardware_cost` is one source for every task, or one per task
    /// name. A task without its own hardware_cost needs one on every device.
    static func readDevices(_ c: Cursor, tasks: [CoExploration.Task], in context: SourceContext) throws -> [[MeasuredDevice]] {
        let slots = try c.list()
        if slots.isEmpty || slots.count > 4 { throw c.error("give 1 to 4 slots", value: false, accepted: "a list of 1 to 4 devices (or lists of candidate devices)") }
        var names = Set<String>()
        return try slots.map { s in
            let entries: [Cursor]
            if case .sequence = s.node { entries = try s.list() } else { entries = [s] }
            if entries.isEmpty { throw s.error("an empty list of devices", value: false, accepted: "one or more devices {name, hardware_cost}") }
            return try entries.map { d in
                let dm = try d.mapping(allowed: ["name", "hardware_cost"])
                let name = try d.required("name", in: dm).string()
                var figures: [String: MeasuredFigures] = [:]
                if let hc = dm["hardware_cost"] {
                    let hm = try hc.mapping(allowed: sourceKeys + tasks.map(\.name))
                    if hm.keys.contains(where: { sourceKeys.contains($0) }) {
                        // A task with its own hardware_cost never reads the device's.
                        for t in tasks where t.hardwareCost == nil { figures[t.name] = try readHardwareCost(hc, space: t.space, task: t.name, in: context) }
                    } else {
                        for t in tasks { if let tc = hm[t.name] { figures[t.name] = try readHardwareCost(tc, space: t.space, task: t.name, in: context) } }
                    }
                }
                for t in tasks where t.hardwareCost == nil && figures[t.name] == nil {
                    throw d.error("device \(name) has no hardware cost for task \(t.name)", value: false,
                                  accepted: "hardware_cost: a source for every task, {\(t.name): source, ...}, or a hardware_cost on the task")
                }
                let (inserted, _) = names.insert(name)
                if !inserted { throw d.error("two devices are named \(name)", value: false, accepted: "a distinct name per device") }
                return MeasuredDevice(name: name, figures: figures)
            }
        }
    }

    /// `devices` and their constraints when the spec has them (nil devices and no constraints
    /// otherwise: the ASIC or FPGA reader takes over).
    static func readDeviceSide(_ top: [String: Cursor], tasks: [CoExploration.Task], base: String, specName: String) throws -> ([[MeasuredDevice]]?, ASICConstraints, Double?) {
        guard let dc = top["devices"] else { return (nil, ASICConstraints(), nil) }
        if let o = ["platform", "accelerators", "units"].compactMap({ top[$0] }).first {
            throw o.error("measured devices are the whole hardware side", value: false, accepted: "devices without platform, accelerators or units")
        }
        let (k, memory) = try readDeviceConstraints(top["constraints"])
        return (try readDevices(dc, tasks: tasks, in: SourceContext(base: base, specName: specName)), k, memory)
    }

    /// A devices spec's constraints: latency, energy, power and memory (kB, each task's network).
    static func readDeviceConstraints(_ c: Cursor?) throws -> (ASICConstraints, Double?) {
        guard let c else { return (ASICConstraints(), nil) }
        let m = try c.mapping(allowed: ["latency_ms", "energy_mj", "power_w", "memory_kb"])
        var k = ASICConstraints()
        k.maxLatencyMs = try m["latency_ms"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        k.maxEnergyMJ = try m["energy_mj"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        k.maxPowerW = try m["power_w"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        return (k, try m["memory_kb"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) })
    }

    /// Specs on figures the measured sources do not give are refused, naming the task.
    static func checkMeasuredSpecs(_ tasks: [CoExploration.Task], devices: [[MeasuredDevice]]?, constraints: ASICConstraints, memoryKB: Double?,
                                   cursor: Cursor) throws {
        var all: [(String, MeasuredFigures)] = tasks.compactMap { t in t.hardwareCost.map { (t.name, $0) } }
        let own = Set(tasks.filter { $0.hardwareCost != nil }.map(\.name))
        for d in (devices ?? []).joined() { all += d.figures.filter { !own.contains($0.key) }.map { ($0.key, $0.value) } }
        for (task, f) in all {
            if (constraints.maxEnergyMJ != nil || constraints.maxPowerW != nil) && f.energyMJ == nil {
                throw cursor.error("an energy or power spec, but \(f.source) gives task \(task) no energy (nor power)", value: false,
                                   accepted: "an energy_* or power_* column, or no energy_mj/power_w spec")
            }
            if memoryKB != nil && f.memoryKB == nil {
                throw cursor.error("a memory spec, but \(f.source) gives task \(task) no memory", value: false, accepted: "a memory_* or *_kb column, or no memory_kb spec")
            }
        }
    }
}

extension NASDesignSpec {
    /// `{command: CMD, timeout_s: S, cache: PATH}`: every architecture of the space measured by
    /// the command (`CommandMeasurement`; the cache answers what was measured before); failures
    /// are failed evaluations, not errors. Default timeout 60 s, cache
    /// `results/nas/NAME-hardware-cost-cache.jsonl` (relative to the working directory).
    static func measurementFigures(_ m: [String: Cursor], space: any ArchitectureSpace, task: String, in context: SourceContext) throws -> MeasuredFigures {
        let oracle = try measurementOracle(m, in: context)
        // Progress on stderr: every architecture is measured before the search starts.
        return CommandMeasurement.figures(oracle, space: space, task: task) { done, total in
            guard done == total || done % 100 == 0 else { return }
            CommandOracle.standardError("hardware_cost command, task \(task): \(done) of \(total) architectures measured or read from the cache\n")
        }
    }

    /// The oracle of `{command: CMD, timeout_s: S, cache: PATH}`.
    static func measurementOracle(_ m: [String: Cursor], in context: SourceContext) throws -> CommandOracle {
        let cmd = m["command"]!
        let text = try cmd.string()
        if !text.contains("{arch}") { throw cmd.error("the command must take the architecture", accepted: "a command containing {arch}") }
        let cache = try m["cache"]?.string() ?? "results/nas/\(context.specName)-hardware-cost-cache.jsonl"
        return CommandOracle(command: text, timeoutSeconds: try m["timeout_s"]?.double(min: 0, max: 86_400, exclusiveMin: true) ?? 60,
                             cachePath: cache, specDirectory: context.base)
    }
}
