import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaRows
import IntarsiaScheduler
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia schedule`: the reconfigurable template's optimal schedule for one design point, as
/// a space × time table, with the solver's status; a sweep over built-in parameters; and the
/// spec's hand-written schedule (if any) evaluated beside it for comparison.
public enum ScheduleJob {
    public struct Options {
        public var solver: ReconfigurationScheduler.Solver = .glpk
        public var timeLimitSeconds: Double = 10
        public var emitLPDirectory: String?
        /// Built-in parameters to sweep: every combination is scheduled.
        public var parameters: [(String, [Int])] = []
        public var sets: [String] = []
        public var balanceStages = false
        public init() {}
    }

    public struct UnitCell: Codable {
        /// Compute units the task occupies, e.g. "CU0" or "CU0-CU1"; "SFU" for special-function tasks.
        public var units: String
        public var task: String
        public var lanes: Int
        /// Loop bounds of the unit's nest: columns, row steps, reduction steps.
        public var bounds: String
        public var cycles: Double
    }

    public struct StageView: Codable {
        public var stage: Int
        public var pattern: String
        public var cycles: Double
        public var cells: [UnitCell]
        /// Tensors held at the boundary before the stage (the scratchpad plan) and what spilled.
        public var scratchpadBefore: [String]
        public var liveBytesBefore: Double
        public var spilledBytesBefore: Double
    }

    public struct Row: Codable {
        public var workload: String
        public var parameters: [String: Int]
        public var design: [String: String]
        public var repetitions: Int
        public var solver: String
        public var status: String
        public var gap: Double?
        /// Why the status is not "optimal" (a time limit, stage splits not proven); the solver's note.
        public var statusNote: String
        public var space: String
        public var graphNodes: Int
        public var graphArcs: Int
        public var solveSeconds: Double
        public var branchAndBoundNodes: Int
        public var cyclesPerRepetition: Double
        public var latencyCycles: Double
        public var latencyMs: Double
        public var offChipBytes: Double
        public var dsp: Int
        public var bram18k: Int
        public var uram: Int
        public var feasible: Bool
        public var violations: String
        public var stages: [StageView]
        public var referenceCyclesPerRepetition: Double?
        public var referenceStages: [[String]]?
        public var speedupVsReference: Double?
    }

    public static func run(specPath: String, options: Options) throws -> [Row] {
        let base = try DesignSpec.load(path: specPath)
        var combos: [[String: Int]] = [[:]]
        for (key, values) in options.parameters {
            combos = combos.flatMap { c in values.map { c.merging([key: $0]) { _, v in v } } }
        }
        var rows: [Row] = []
        for combo in combos {
            let spec = try base.withParameters(combo)
            rows.append(try schedule(spec, combo, options))
        }
        return rows
    }

    static func schedule(_ spec: DesignSpec, _ combo: [String: Int], _ options: Options) throws -> Row {
        var sets = options.sets.filter { !$0.hasPrefix("template=") }
        sets.insert("template=reconfigurable", at: 0)
        let p = try EvaluateJob.point(spec: spec, template: nil, sets: sets)
        let model = spec.solvingModel
        var o = ReconfigurationScheduler.Options()
        o.solver = options.solver
        o.timeLimitSeconds = options.timeLimitSeconds
        o.balanceStages = options.balanceStages || spec.search.balanceStages
        o.maxOffChipBytes = spec.constraints.maxOffChipBytes.map { $0 / Double(spec.workload.repetitions) }
        if let dir = options.emitLPDirectory {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let suffix = combo.sorted { $0.key < $1.key }.map { "-\($0.key)\($0.value)" }.joined()
            o.lpPath = URL(fileURLWithPath: dir).appendingPathComponent("\(spec.name)\(suffix).lp").path
        }
        let solution: ReconfigurationScheduler.Solution
        do {
            solution = try ReconfigurationScheduler.solve(model, p, options: o)
        } catch let e as ReconfigurationScheduler.NoSchedule {
            throw UserError("\(spec.file): \(e.description)")
        }
        var rec = BreakdownRecorder()
        let e = model.evaluate(p, schedule: solution.schedule, recorder: &rec)
        var row = Row(
            workload: spec.workload.name, parameters: spec.builtin?.parameters ?? [:],
            design: Dictionary(uniqueKeysWithValues: Knob.knobs(of: .reconfigurable).map { ($0.rawValue, p.value(of: $0).description) }),
            repetitions: spec.workload.repetitions, solver: solution.solver.rawValue, status: solution.status.rawValue, gap: solution.gap,
            statusNote: solution.note,
            space: solution.space.rawValue, graphNodes: solution.nodes, graphArcs: solution.arcs, solveSeconds: solution.solveSeconds,
            branchAndBoundNodes: solution.branchAndBoundNodes, cyclesPerRepetition: solution.cycles, latencyCycles: e.latencyCycles,
            latencyMs: e.latencyMs, offChipBytes: e.offChipBytes, dsp: e.dsp, bram18k: e.bram18k, uram: e.uram, feasible: e.feasible,
            violations: e.violationText(platform: spec.platform, constraints: spec.constraints),
            stages: views(model, p, rec), referenceCyclesPerRepetition: nil, referenceStages: nil, speedupVsReference: nil)
        if let reference = spec.reconfigurableSchedule {
            let fixed = try FPGAModel(workload: spec.workload, platform: spec.platform, constraints: spec.constraints, reconfigurableSchedule: reference)
            let r = fixed.evaluate(p).latencyCycles / Double(spec.workload.repetitions)
            row.referenceCyclesPerRepetition = r
            row.referenceStages = reference.map { $0.map { model.compiled.names[$0] } }
            row.speedupVsReference = r / solution.cycles
        }
        if !e.feasible {
            throw UserError("\(spec.file): no feasible schedule for this design: \(row.violations) (binding). The best schedule takes \(Int64(solution.cycles)) cycles per repetition; change the design (--set) or the constraints")
        }
        return row
    }

    static func views(_ model: FPGAModel, _ p: DesignPoint, _ rec: BreakdownRecorder) -> [StageView] {
        let perUnit = Double(p.lanes) / Double(max(p.computeUnits, 1))
        return rec.stages.map { s in
            var next = 0
            var cells: [UnitCell] = []
            for t in rec.tasks where t.stage == s.stage {
                let index = model.compiled.names.firstIndex(of: t.task)!
                if t.lanes > 0 {
                    let count = max(1, Int((Double(t.lanes) / perUnit).rounded()))
                    let first = min(next, p.computeUnits - 1), last = min(next + count - 1, p.computeUnits - 1)
                    next += count
                    let b = model.compiled.loopBounds(index, lanes: t.lanes)!
                    cells.append(UnitCell(units: first == last ? "CU\(first)" : "CU\(first)-CU\(last)", task: t.task, lanes: t.lanes,
                                          bounds: "\(b.i)x\(b.j)x\(b.k)", cycles: t.busyCycles))
                } else {
                    cells.append(UnitCell(units: "SFU", task: t.task, lanes: 0, bounds: "-", cycles: t.busyCycles))
                }
            }
            return StageView(stage: s.stage, pattern: s.pattern, cycles: s.cycles, cells: cells, scratchpadBefore: s.liveBefore,
                             liveBytesBefore: s.liveBytesBefore, spilledBytesBefore: s.spillBytesBefore)
        }
    }

    public static func text(_ rows: [Row]) -> String {
        func n(_ x: Double) -> String { String(Int64(x.rounded())) }
        var out = ""
        for r in rows {
            let params = r.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            out += "\(r.workload)\(params.isEmpty ? "" : " (\(params))"): lanes=\(r.design["lanes"]!) compute_units=\(r.design["compute_units"]!) scratchpad_kib=\(r.design["scratchpad_kib"]!)\n"
            out += "solver \(r.solver): \(r.status)"
            if let g = r.gap, r.status != "optimal" { out += String(format: " (gap %.2f%%)", g * 100) }
            out += String(format: " in %.3f s; schedule space %@ (%d nodes, %d arcs)\n", r.solveSeconds, r.space, r.graphNodes, r.graphArcs)
            if r.status != "optimal" { out += "not optimal: \(r.statusNote)\n" }
            out += r.repetitions > 1 ? "latency \(n(r.cyclesPerRepetition)) cycles per repetition x \(r.repetitions) = \(n(r.latencyCycles))"
                : "latency \(n(r.latencyCycles))"
            out += String(format: " cycles, %.4f ms; dsp %d, bram18k %d, uram %d, off-chip %@ bytes\n", r.latencyMs, r.dsp, r.bram18k, r.uram, n(r.offChipBytes))
            if let ref = r.referenceCyclesPerRepetition, let s = r.speedupVsReference {
                out += "hand-written schedule of the spec: \(n(ref)) cycles per repetition; the chosen one is \(String(format: "%.3f", s))x faster\n"
            }
            let units = Int(r.design["compute_units"]!)!
            let header = ["stage", "pattern", "cycles"] + (0..<units).map { "CU\($0)" } + ["SFU", "scratchpad before (bytes held / spilled)"]
            let table = r.stages.map { s -> [String] in
                var cols = [String](repeating: "", count: units)
                var sfu: [String] = []
                for c in s.cells {
                    let label = c.units == "SFU" ? c.task : "\(c.task) [\(c.bounds)] \(n(c.cycles))"
                    if c.units == "SFU" { sfu.append(label); continue }
                    let range = c.units.split(separator: "-").map { Int($0.dropFirst(2))! }
                    for u in range.first!...range.last! { cols[u] = u == range.first! ? label : "<- \(c.task)" }
                }
                let held = s.scratchpadBefore.isEmpty ? "-" : "\(s.scratchpadBefore.joined(separator: " ")) (\(n(s.liveBytesBefore)) / \(n(s.spilledBytesBefore)))"
                return [String(s.stage), s.pattern, n(s.cycles)] + cols + [sfu.joined(separator: " "), held]
            }
            out += TextTable.render(header: header, rows: table) + "\n"
        }
        out += "cells: task [columns x row steps x reduction steps] busy cycles; <- the unit joins the task to its left (split)\n"
        return out
    }

    /// The schedule CSV's columns (one row per workload and parameter setting).
    public static let csvColumns = Columns<Row>([
        Column("workload") { $0.workload },
        Column("parameters") { $0.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") },
        Column("lanes") { $0.design["lanes"]! },
        Column("compute_units") { $0.design["compute_units"]! },
        Column("scratchpad_kib") { $0.design["scratchpad_kib"]! },
        Column("repetitions") { String($0.repetitions) },
        Column("solver") { $0.solver },
        Column("status") { $0.status },
        Column("gap") { $0.gap.map { Figures.fixed($0, 6) } ?? "" },
        Column("space") { $0.space },
        Column("graph_nodes") { String($0.graphNodes) },
        Column("graph_arcs") { String($0.graphArcs) },
        Column("solve_seconds") { Figures.fixed($0.solveSeconds, 4) },
        Column("bnb_nodes") { String($0.branchAndBoundNodes) },
        Column("stages") { String($0.stages.count) },
        Column("cycles_per_repetition") { Figures.fixed($0.cyclesPerRepetition, 0) },
        Column("latency_cycles") { Figures.fixed($0.latencyCycles, 0) },
        Column("latency_ms") { Figures.fixed($0.latencyMs, 4) },
        Column("offchip_bytes") { Figures.fixed($0.offChipBytes, 0) },
        Column("dsp") { String($0.dsp) },
        Column("bram18k") { String($0.bram18k) },
        Column("uram") { String($0.uram) },
        Column("feasible") { Figures.flag($0.feasible) },
        Column("reference_cycles_per_repetition") { $0.referenceCyclesPerRepetition.map { Figures.fixed($0, 0) } ?? "" },
        Column("speedup_vs_reference") { $0.speedupVsReference.map { Figures.fixed($0, 4) } ?? "" },
        Column("schedule") { $0.stages.map { "[" + $0.cells.map(\.task).joined(separator: " ") + "]" }.joined(separator: " ") },
    ])

    public static var csvHeader: [String] { csvColumns.header }

    public static func csvRow(_ r: Row) -> [String] { csvColumns.fields(r) }
}
