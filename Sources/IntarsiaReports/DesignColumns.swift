import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaRows
import IntarsiaSearch

/// What one row of the design CSV is made from: a design with the platform and constraints it
/// was judged against (for its violation text).
public struct DesignRow: Sendable {
    public var design: EvaluatedDesign { didSet { knobBits = Self.knobBits(design.point.template) } }
    public var platform: FPGAPlatform
    public var constraints: Constraints
    /// The knobs of the design's template as bits (`Self.bit`), for its eleven knob columns.
    public private(set) var knobBits: UInt32

    /// `knobBits`: the template's knob bits when the caller has them (`KnobBitsCache`), so that
    /// the template's knob list is not read for every row.
    public init(_ design: EvaluatedDesign, _ platform: FPGAPlatform, _ constraints: Constraints, knobBits: UInt32? = nil) {
        self.design = design
        self.platform = platform
        self.constraints = constraints
        self.knobBits = knobBits ?? Self.knobBits(design.point.template)
    }

    /// A knob's bit: 1 << its position in `Knob.allCases`.
    public static func bit(_ k: Knob) -> UInt32 { 1 << UInt32(Knob.allCases.firstIndex(of: k)!) }

    /// The bits of the knobs template `t` reads.
    public static func knobBits(_ t: TemplateKind) -> UInt32 { Knob.knobs(of: t).reduce(0) { $0 | bit($1) } }
}

/// The knob bits of the templates a run of rows has met: a row's template is looked up among
/// the few seen (by identity) instead of its knob list being read per row.
struct KnobBitsCache {
    private var seen: [(template: TemplateKind, bits: UInt32)] = []

    mutating func bits(_ t: TemplateKind) -> UInt32 {
        for s in seen where s.template == t { return s.bits }
        let b = DesignRow.knobBits(t)
        seen.append((t, b))
        return b
    }
}

/// One column of the design CSV: its name, what it means, and how a design fills it.
/// docs/CSV.md documents the same list; `DesignColumns.all` is the single source of both.
public typealias DesignColumn = Column<DesignRow>

public enum DesignColumns {
    static func knob(_ k: Knob, _ meaning: String) -> DesignColumn {
        // Plain: integers, flags and the knobs' fixed value names.
        let bit = DesignRow.bit(k)
        return DesignColumn(k.rawValue, meaning, plain: true) { (r: DesignRow, out: inout [UInt8]) in
            guard r.knobBits & bit != 0 else { return }
            switch r.design.point.value(of: k) {
            case .int(let i): FieldBytes.appendInt(i, to: &out)
            case .text(let s): FieldBytes.appendText(s, to: &out)
            case .bool(let b): FieldBytes.appendFlag(b, to: &out)
            }
        }
    }

    /// A whole-number column of the evaluation.
    static func integer(_ name: String, _ meaning: String, _ value: @escaping @Sendable (Evaluation) -> Int) -> DesignColumn {
        DesignColumn(name, meaning, plain: true) { (r: DesignRow, out: inout [UInt8]) in FieldBytes.appendInt(value(r.design.evaluation), to: &out) }
    }

    /// A column of the evaluation in `Figures.number`'s text.
    static func number(_ name: String, _ meaning: String, _ value: @escaping @Sendable (Evaluation) -> Double) -> DesignColumn {
        DesignColumn(name, meaning, plain: true) { (r: DesignRow, out: inout [UInt8]) in FieldBytes.appendNumber(value(r.design.evaluation), to: &out) }
    }

    /// A column of the evaluation to `digits` significant digits (`Figures.significant`).
    static func significant(_ name: String, _ meaning: String, _ digits: Int, _ value: @escaping @Sendable (Evaluation) -> Double) -> DesignColumn {
        DesignColumn(name, meaning, plain: true) { (r: DesignRow, out: inout [UInt8]) in FieldBytes.appendSignificant(value(r.design.evaluation), digits, to: &out) }
    }

    /// `x` rounded to `digits` significant digits (`Figures.significant`).
    public static func significant(_ x: Double, _ digits: Int) -> String { Figures.significant(x, digits) }

    public static let all: [DesignColumn] = [
        DesignColumn("id", "order of evaluation in the search, from 0", plain: true) { (r: DesignRow, out: inout [UInt8]) in FieldBytes.appendInt(r.design.id, to: &out) },
        DesignColumn("template", "dataflow, sequential or reconfigurable") { $0.design.point.template.rawValue },
        knob(.lanes, "total MAC lanes (multiply-accumulates per cycle) of the design"),
        knob(.allocation, "dataflow: how lanes are split among tasks (proportional to MACs, or uniform)"),
        knob(.computeUnits, "reconfigurable: compute units, the most MAC tasks one stage runs at once"),
        knob(.scratchpadKiB, "sequential/reconfigurable: on-chip scratchpad for intermediates between stages, KiB"),
        knob(.weightLoad, "double_buffered, buffered or blocking off-chip weight reads"),
        knob(.flattenLoops, "whether each unit's loop nest is one flattened pipeline"),
        knob(.wordBits, "width of each unit's off-chip data port, bits"),
        knob(.spill, "sequential/reconfigurable: overflow (spill what does not fit) or always"),
        knob(.pipelined, "whether each unit's loops are pipelined (false: every iteration takes the body's latency)"),
        knob(.matVec, "dataflow/reconfigurable: how matrix-vector products take their input (dot, outer, auto)"),
        knob(.streamElements, "dataflow/reconfigurable: elements a FIFO between tasks carries per cycle (0: matched to the producer)"),
        integer("stages", "stages of the schedule (dataflow 1; sequential one per MAC task)") { $0.stages },
        DesignColumn("schedule_space", "schedules the design's schedule was chosen among: `template` (dataflow and sequential: the template fixes it), `general` (reconfigurable: every schedule of the task graph), `contiguous` (reconfigurable: only stages that are contiguous segments of the topological order, because the graph of every schedule would have had more than 300,000 arcs; the optimum over all schedules may be missed), `given` (the spec's hand-written schedule)", plain: true) { (r: DesignRow, out: inout [UInt8]) in
            FieldBytes.appendText(r.design.evaluation.scheduleSpace.rawValue, to: &out)
        },
        DesignColumn("solver_status", "how the solver that chose the schedule or lane split ended: `optimal` (proven over its space: closed form, shortest path, or a solver's proof), `feasible (gap X%)` (a solver stopped at its time limit X% above its bound), `feasible (no bound: WHY)` (with `balance_stages`: stage lane splits whose solve stopped at its limit; WHY names them and their largest gap), `fallback: WHY` (a solver failed and a heuristic stood in: the proportional split for `allocation: balanced`, the shortest path for `scheduler: glpk`, the proportional or uniform split of a stage the balancer failed on with `balance_stages`; WHY is the solver's failure, e.g. `no schedule found within the time limit of 10 s`, and `intarsia search` names each distinct one once on stderr), `given` (nothing solved: the spec's schedule)") { (r: DesignRow, out: inout [UInt8]) in
            // Nearly every row is optimal: its text without building a `String`.
            if case .optimal = r.design.evaluation.solverStatus { FieldBytes.appendText("optimal", to: &out) } else { FieldBytes.appendText(r.design.evaluation.solverStatus.text, to: &out) }
        },
        number("latency_cycles", "kernel cycles for one inference (all repetitions)") { $0.latencyCycles.rounded(.up) },
        significant("latency_ms", "latency at the platform clock, milliseconds", 6) { $0.latencyMs },
        significant("throughput_per_s", "inferences per second, runs back to back", 6) { $0.throughputPerSecond },
        number("macs", "multiply-accumulates of the workload") { $0.macs },
        significant("utilization", "MACs / (cycles x lanes), 0 to 1", 4) { $0.utilization },
        integer("dsp", "DSP slices, shell included") { $0.dsp },
        integer("bram18k", "BRAM18K blocks, shell included") { $0.bram18k },
        integer("uram", "URAM blocks, shell included") { $0.uram },
        integer("lut", "LUTs, shell included") { $0.lut },
        integer("ff", "flip-flops, shell included") { $0.ff },
        number("offchip_bytes", "bytes read from and written to off-chip memory per inference") { $0.offChipBytes.rounded() },
        significant("power_w", "average power, watts (static + dynamic, see docs/MODEL.md)", 4) { $0.powerW },
        significant("energy_mj", "energy per inference, millijoules", 6) { $0.energyMJ },
        DesignColumn("feasible", "true when every constraint of the spec holds", plain: true) { (r: DesignRow, out: inout [UInt8]) in
            FieldBytes.appendFlag(r.design.evaluation.feasible, to: &out)
        },
        DesignColumn("violations", "the broken constraints with value and limit, separated by '; '") { (r: DesignRow, out: inout [UInt8]) in
            // Empty for a feasible design, without building the list of parts.
            guard !r.design.evaluation.feasible else { return }
            FieldBytes.appendText(r.design.evaluation.violationText(platform: r.platform, constraints: r.constraints), to: &out)
        },
    ]

    /// The last column, filled once the search knows its front.
    /// Its value is the design's membership of the front.
    public static let paretoColumn = Column<Bool>("pareto", "true when the design is on the Pareto front of the spec's objectives (feasible designs only)",
                                                  value: Figures.flag)

    /// The columns written as the search goes (all but `pareto`).
    public static let streamed = Columns(all)

    public static var header: [String] { streamed.header + [paretoColumn.name] }

    public static func fields(_ d: EvaluatedDesign, _ p: FPGAPlatform, _ k: Constraints) -> [String] {
        streamed.fields(DesignRow(d, p, k))
    }

    /// docs/CSV.md's column table: every column with its meaning, `pareto` last.
    public static var markdown: String {
        streamed.markdown + "| `\(paretoColumn.name)` | \(paretoColumn.meaning) |\n"
    }
}
