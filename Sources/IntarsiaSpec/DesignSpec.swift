import Foundation
import IntarsiaCore
import IntarsiaFPGA

/// A design spec read from YAML: what to explore, on what, under which limits, and where to write.
/// The format is documented in docs/SPEC.md.
public struct DesignSpec: Sendable {
    public var file: String
    public var name: String
    public var workload: Workload
    public var platform: FPGAPlatform
    public var space: DesignSpace
    public var constraints: Constraints
    public var objectives: [Objective]
    public var search: SearchSettings
    public var outputPath: String
    public var paretoOnly: Bool
    public var top: Int

    /// A hand-written reconfigurable schedule (`templates.reconfigurable.schedule`), as stages
    /// of task indices.
    public var reconfigurableSchedule: [[Int]]?
    /// The built-in the workload came from, if any.
    public var builtin: BuiltinReference?

    /// The spec with a built-in workload's parameters changed (the schedule keeps its task names).
    public func withParameters(_ changes: [String: Int]) throws -> DesignSpec {
        guard !changes.isEmpty else { return self }
        guard let b = builtin else {
            throw SpecError(file: file, key: "workload", problem: "--param applies to built-in workloads; this spec lists its tasks inline")
        }
        var s = self
        s.workload = try b.with(changes)
        s.builtin?.parameters.merge(changes) { _, new in new }
        return s
    }

    public var model: FPGAModel {
        // The schedule was checked against the workload when the spec was read.
        try! FPGAModel(workload: workload, platform: platform, constraints: constraints, reconfigurableSchedule: reconfigurableSchedule)
    }

    static let topKeys = ["name", "workload", "platform", "templates", "constraints", "objectives", "search", "output"]

    /// Reads and validates a spec file. Every problem is a `SpecError`. `templates` are those its
    /// `templates` section may name.
    public static func load(path: String, templates: FPGATemplates = .builtin) throws -> DesignSpec {
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(path) } catch {
            throw SpecError(file: path, key: "", problem: error.reason, accepted: "the path of a YAML design spec, e.g. designs/intar/mlp-u280.yaml")
        }
        guard let text = String(data: data, encoding: .utf8), !data.contains(0) else {
            throw SpecError(file: path, key: "", problem: "not valid YAML (not UTF-8 text)", accepted: "a YAML mapping; see docs/SPEC.md")
        }
        return try parse(text: text, file: path, templates: templates)
    }

    public static func parse(text: String, file: String, templates: FPGATemplates = .builtin) throws -> DesignSpec {
        let root = try YAMLDocument.root(text: text, file: file)
        let top = try root.mapping(allowed: topKeys)
        let name = try root.specName(in: top)
        let (workload, builtin) = try WorkloadSection.read(try root.required("workload", in: top))
        if !workload.sizeIsRepresentable {
            throw SpecError(file: file, key: "workload", problem: "the workload's MACs times its repetitions exceed 2^62", accepted: "a smaller workload")
        }
        let platform = try PlatformSection.read(try root.required("platform", in: top))
        let (space, scheduleNames) = try TemplatesSection.read(try root.required("templates", in: top), templates: templates)
        var schedule: [[Int]]?
        if let (cursor, names) = scheduleNames {
            let index = Dictionary(uniqueKeysWithValues: workload.tasks.enumerated().map { ($1.name, $0) })
            var groups: [[Int]] = []
            for (k, stage) in names.enumerated() {
                groups.append(try stage.enumerated().map { j, name in
                    guard let i = index[name] else {
                        throw SpecError(file: file, key: "\(cursor.path)[\(k)][\(j)]", value: name, problem: "no such task in the workload",
                                        accepted: workload.tasks.map(\.name).joined(separator: ", "))
                    }
                    return i
                })
            }
            do {
                _ = try FPGAModel(workload: workload, platform: PlatformCatalog.u280, reconfigurableSchedule: groups)
            } catch let e as Schedule.Invalid {
                throw SpecError(file: file, key: cursor.path, problem: "not a valid schedule: \(e.description)")
            }
            schedule = groups
        }
        let constraints = try readConstraints(top["constraints"])
        var objectives: [Objective] = [.latencyMs, .dsp]
        if let o = top["objectives"] {
            objectives = try o.scalarOrList().map { c in
                guard let v = Objective(rawValue: try c.string()) else { throw c.error("unknown objective", accepted: Objective.acceptedNames) }
                return v
            }
            if Set(objectives).count != objectives.count { throw o.error("an objective is listed twice", value: false) }
        }
        let search = try readSearch(top["search"])
        var output = "results/\(name).csv"
        var paretoOnly = false
        var topN = 10
        if let o = top["output"] {
            let m = try o.mapping(allowed: ["path", "rows", "top"])
            if let p = m["path"] {
                output = try p.string()
                if output.isEmpty { throw p.error("empty path", accepted: "a file path ending in .csv") }
            }
            if let r = m["rows"] {
                switch try r.string() {
                case "all": paretoOnly = false
                case "pareto": paretoOnly = true
                default: throw r.error("unknown row selection", accepted: "all, pareto")
                }
            }
            if let t = m["top"] { topN = try t.int(min: 0, max: 10_000) }
        }
        return DesignSpec(file: file, name: name, workload: workload, platform: platform, space: space, constraints: constraints,
                          objectives: objectives, search: search, outputPath: output, paretoOnly: paretoOnly, top: topN,
                          reconfigurableSchedule: schedule, builtin: builtin)
    }

    static func readConstraints(_ c: Cursor?) throws -> Constraints {
        var k = Constraints()
        guard let c else { return k }
        let m = try c.mapping(allowed: ["dsp", "bram18k", "uram", "lut", "ff", "latency_ms", "power_w", "energy_mj", "offchip_bytes"])
        func frac(_ key: String) throws -> Double? {
            try m[key].map { try $0.double(min: 0, max: 1, exclusiveMin: true) }
        }
        if let v = try frac("dsp") { k.dspFraction = v }
        if let v = try frac("bram18k") { k.bramFraction = v }
        if let v = try frac("uram") { k.uramFraction = v }
        if let v = try frac("lut") { k.lutFraction = v }
        if let v = try frac("ff") { k.ffFraction = v }
        k.maxLatencyMs = try m["latency_ms"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        k.maxPowerW = try m["power_w"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        k.maxEnergyMJ = try m["energy_mj"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        k.maxOffChipBytes = try m["offchip_bytes"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        return k
    }

    static func readSearch(_ c: Cursor?) throws -> SearchSettings {
        var s = SearchSettings()
        guard let c else { return s }
        let m = try c.mapping(allowed: ["strategy", "budget", "seed", "population", "scheduler", "balance_stages"])
        if let v = m["balance_stages"] { s.balanceStages = try v.bool() }
        if let v = m["scheduler"] {
            guard let sc = ReconfigurationSolverChoice(rawValue: try v.string()) else { throw v.error("unknown scheduler", accepted: "dp, glpk") }
            s.scheduler = sc
        }
        if let v = m["strategy"] {
            guard let st = Strategy(rawValue: try v.string()) else { throw v.error("unknown strategy", accepted: Strategy.acceptedNames) }
            s.strategy = st
        }
        if let v = m["budget"] { s.budget = try v.positiveInt(max: 100_000_000) }
        if let v = m["seed"] { s.seed = UInt64(try v.int(min: 0)) }
        if let v = m["population"] { s.population = try v.int(min: 4, max: 100_000) }
        return s
    }
}

enum TemplatesSection {
    /// The design space, and the hand-written schedule if one is given (a template whose stages
    /// are chosen per point may follow one instead).
    static func read(_ c: Cursor, templates: FPGATemplates) throws -> (DesignSpace, (Cursor, [[String]])?) {
        let m = try c.mapping(allowed: templates.names)
        var schedule: (Cursor, [[String]])?
        if m.isEmpty { throw c.error("no template listed", value: false, accepted: templates.acceptedNames) }
        var spaces: [TemplateSpace] = []
        for t in templates.all {
            guard let section = m[t.rawValue] else { continue }
            let allowed = t.descriptor.knobs
            var knobs: [(Knob, [KnobValue])] = []
            let entries: [String: Cursor]
            if case .scalar(let s) = section.node, s.string.isEmpty || s.string == "~" || s.string == "null" {
                entries = [:]
            } else {
                var keys = allowed.map(\.knob.rawValue)
                switch t.schedulePolicy {
                case .chosenPerPoint: keys.append("schedule")
                case .allTasksResident, .oneMACTaskPerStage: break
                }
                entries = try section.mapping(allowed: keys)
            }
            if let sc = entries["schedule"] {
                let stages = try sc.list()
                if stages.isEmpty { throw sc.error("the schedule has no stage", value: false, accepted: "a list of stages, each a list of task names") }
                schedule = (sc, try stages.map { try $0.scalarOrList().map { try $0.string() } })
            }
            for tk in allowed {
                let k = tk.knob
                guard let e = entries[k.rawValue] else {
                    knobs.append((k, tk.defaults))
                    continue
                }
                var values: [KnobValue] = []
                for item in try e.scalarOrList() {
                    let text = try item.string()
                    guard let v = tk.parse(text) else { throw item.error("not a valid value for \(k.rawValue) of \(t.rawValue)", accepted: tk.accepted) }
                    if !values.contains(v) { values.append(v) }
                }
                knobs.append((k, values))
            }
            spaces.append(TemplateSpace(template: t, knobs: knobs))
        }
        return (DesignSpace(spaces), schedule)
    }
}
