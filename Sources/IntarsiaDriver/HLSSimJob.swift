import Foundation
import IntarsiaCore
import IntarsiaHLSSim
import IntarsiaRows

/// `intarsia hls-sim DIR`: the timing simulation of a project `intarsia hls` wrote, read from
/// its C++, beside the model's latency (docs/HLS.md, "Timing simulation").
public enum HLSSimJob {
    public typealias Format = HLSCheckJob.Format

    public struct Options: Sendable {
        public var project: String
        /// The spec to re-evaluate; default: the one design.json names.
        public var specPath: String?
        public var parameters: [String: Int] = [:]
        public var format: Format = .text
        public init(project: String) { self.project = project }
    }

    /// The simulation and the model's figures for the same design.
    public struct Outcome: Sendable {
        public var simulation: SimulationResult
        public var modelLatencyCycles: Double
        /// The model's busy cycles per task (one repetition).
        public var modelTaskCycles: [String: Double]
        public var rows: [HLSSimRow]
    }

    public static func outcome(_ o: Options) throws -> Outcome {
        let d = try HLSCheckJob.readDesign(o.project)
        var check = HLSCheckJob.Options(project: o.project)
        check.specPath = o.specPath
        check.parameters = o.parameters
        let (e, recorder, workload, platform) = try HLSCheckJob.model(d, check)
        guard let wordBits = d.design["word_bits"].flatMap(Int.init) else {
            throw UserError("\(o.project)/design.json: no word_bits in its design; accepted: a design.json written by intarsia hls")
        }
        let sim: SimulationResult
        do { sim = try HLSSimulator.simulate(project: o.project, timing: SimTiming(platform: platform, wordBits: wordBits)) }
        catch let s as SimulationError { throw UserError(s.description) }
        var model: [String: Double] = [:]
        for r in recorder.tasks { model[r.task] = r.busyCycles }
        let latency = workload.repetitions == 1 ? e.latencyCycles : nil
        return Outcome(simulation: sim, modelLatencyCycles: e.latencyCycles, modelTaskCycles: model,
                       rows: HLSSimRow.rows(sim, modelLatency: latency, modelTasks: workload.repetitions == 1 ? model : [:]))
    }

    public static func run(_ o: Options) throws -> String {
        let out = try outcome(o)
        let c = HLSSimColumns.columns
        var text: String
        switch o.format {
        case .csv: text = c.csv(out.rows)
        case .json: text = try c.json(out.rows) + "\n"
        case .text:
            text = "timing simulation of \(o.project)'s C++ beside the model; ratio = sim / model (a structural check, not co-simulation)\n" + c.table(out.rows)
        }
        if !out.simulation.deadlock.isEmpty {
            throw UserError("\(o.project): the process network deadlocks: \(out.simulation.deadlock.joined(separator: "; "))\n" + text)
        }
        return text
    }
}

extension HLSCheckJob.Format {
    /// The `--format` value of hls-check and hls-sim, refused naming what is accepted.
    public static func option(_ text: String) throws -> Self {
        guard let f = Self(rawValue: text) else { throw UserError("--format '\(text)': accepted: \(acceptedNames)") }
        return f
    }
}

/// One row of `intarsia hls-sim`: the design, a task or a FIFO.
public struct HLSSimRow: Sendable, Equatable {
    /// `design`, `task` or `fifo`.
    public var scope: String
    public var name: String
    public var simCycles: Double?
    public var modelCycles: Double?
    public var stallCycles: Double?
    public var depth: Int?
    public var widthBits: Int?
    public var elements: Int?
    public var fullStallCycles: Double?
    public var emptyStallCycles: Double?

    public var ratio: Double? {
        guard let s = simCycles, let m = modelCycles, m != 0 else { return nil }
        return s / m
    }

    static func rows(_ sim: SimulationResult, modelLatency: Double?, modelTasks: [String: Double]) -> [HLSSimRow] {
        var rows = [HLSSimRow(scope: "design", name: "latency_cycles", simCycles: sim.latencyCycles, modelCycles: modelLatency)]
        for t in sim.tasks {
            rows.append(HLSSimRow(scope: "task", name: t.name, simCycles: t.busyCycles, modelCycles: modelTasks[t.name], stallCycles: t.stallCycles))
        }
        for f in sim.fifos {
            rows.append(HLSSimRow(scope: "fifo", name: f.name, depth: f.depth, widthBits: f.widthBits, elements: f.elements,
                                  fullStallCycles: f.fullStallCycles, emptyStallCycles: f.emptyStallCycles))
        }
        return rows
    }
}

public enum HLSSimColumns {
    static func number(_ v: Double?) -> String { v.map { String(format: "%.0f", $0) } ?? "-" }
    static func integer(_ v: Int?) -> String { v.map(String.init) ?? "-" }

    /// The columns of every format of `intarsia hls-sim` (docs/HLS.md lists them from here).
    public static let columns = Columns<HLSSimRow>([
        Column("scope", "`design` (the whole kernel), `task` (a dataflow process, or a program's instructions of one task) or `fifo`") { $0.scope },
        Column("name", "`latency_cycles` on the design row; the task, process or stream name") { $0.name },
        Column("sim_cycles", "simulated cycles: the design's until its last process ends (`-` on a deadlock); a task's busy cycles (a dataflow process's or a program task's instructions' timeline less its FIFO stalls)") { number($0.simCycles) },
        Column("model_cycles", "the model's latency (design) or busy cycles (task, one repetition); `-` where the model states none (a process with no task, or a repeated graph)") { number($0.modelCycles) },
        Column("ratio", "sim / model, 3 decimals; `-` unless both are known") { r in r.ratio.map { String(format: "%.3f", $0) } ?? "-" },
        Column("stall_cycles", "a task's cycles stalled on a FIFO (empty to read or full to write)") { number($0.stallCycles) },
        Column("depth", "a FIFO's emitted depth, elements") { integer($0.depth) },
        Column("width_bits", "a FIFO's element width, bits") { integer($0.widthBits) },
        Column("elements", "elements written into the FIFO") { integer($0.elements) },
        Column("full_stall_cycles", "cycles the FIFO's writer stood stalled on it full") { number($0.fullStallCycles) },
        Column("empty_stall_cycles", "cycles the FIFO's reader stood stalled on it empty") { number($0.emptyStallCycles) },
    ])
}
