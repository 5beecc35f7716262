import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSearch

/// One column of the design CSV: its name, what it means, and how a design fills it.
/// docs/CSV.md documents the same list; `DesignColumns.all` is the single source of both.
public struct DesignColumn: Sendable {
    public var name: String
    public var meaning: String
    public var value: @Sendable (EvaluatedDesign, FPGAPlatform, Constraints) -> String
}

public enum DesignColumns {
    static func knob(_ k: Knob, _ meaning: String) -> DesignColumn {
        DesignColumn(name: k.rawValue, meaning: meaning) { d, _, _ in
            Knob.knobs(of: d.point.template).contains(k) ? d.point.value(of: k).description : ""
        }
    }

    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return significant(x, 6)
    }

    /// `x` rounded to `digits` significant digits, in the shortest decimal that reads back as that
    /// value (no `String(format:)`: the CSV writer formats millions of fields).
    public static func significant(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite, x != 0 else { return x == 0 ? "0" : String(x) }
        let exponent = Int((log10(abs(x))).rounded(.down))
        let scale = pow(10, Double(digits - 1 - exponent))
        let r = (x * scale).rounded() / scale
        if r == r.rounded() && abs(r) < 1e15 { return String(Int64(r)) }
        return String(r)
    }

    public static let all: [DesignColumn] = [
        DesignColumn(name: "id", meaning: "order of evaluation in the search, from 0") { d, _, _ in String(d.id) },
        DesignColumn(name: "template", meaning: "dataflow, sequential or reconfigurable") { d, _, _ in d.point.template.rawValue },
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
        DesignColumn(name: "stages", meaning: "stages of the schedule (dataflow 1; sequential one per MAC task)") { d, _, _ in String(d.evaluation.stages) },
        DesignColumn(name: "schedule_space", meaning: "schedules the schedule was chosen among: template (dataflow, sequential), general (every schedule), contiguous (contiguous stages only: the graph of every schedule was too large), given (the spec's)") { d, _, _ in d.evaluation.scheduleSpace.rawValue },
        DesignColumn(name: "solver_status", meaning: "optimal (proven over its space), feasible (gap X%) (a solver stopped at a limit), fallback (a solver failed; a heuristic stood in), given") { d, _, _ in d.evaluation.solverStatus.text },
        DesignColumn(name: "latency_cycles", meaning: "kernel cycles for one inference (all repetitions)") { d, _, _ in number(d.evaluation.latencyCycles.rounded(.up)) },
        DesignColumn(name: "latency_ms", meaning: "latency at the platform clock, milliseconds") { d, _, _ in significant(d.evaluation.latencyMs, 6) },
        DesignColumn(name: "throughput_per_s", meaning: "inferences per second, runs back to back") { d, _, _ in significant(d.evaluation.throughputPerSecond, 6) },
        DesignColumn(name: "macs", meaning: "multiply-accumulates of the workload") { d, _, _ in number(d.evaluation.macs) },
        DesignColumn(name: "utilization", meaning: "MACs / (cycles x lanes), 0 to 1") { d, _, _ in significant(d.evaluation.utilization, 4) },
        DesignColumn(name: "dsp", meaning: "DSP slices, shell included") { d, _, _ in String(d.evaluation.dsp) },
        DesignColumn(name: "bram18k", meaning: "BRAM18K blocks, shell included") { d, _, _ in String(d.evaluation.bram18k) },
        DesignColumn(name: "uram", meaning: "URAM blocks, shell included") { d, _, _ in String(d.evaluation.uram) },
        DesignColumn(name: "lut", meaning: "LUTs, shell included") { d, _, _ in String(d.evaluation.lut) },
        DesignColumn(name: "ff", meaning: "flip-flops, shell included") { d, _, _ in String(d.evaluation.ff) },
        DesignColumn(name: "offchip_bytes", meaning: "bytes read from and written to off-chip memory per inference") { d, _, _ in number(d.evaluation.offChipBytes.rounded()) },
        DesignColumn(name: "power_w", meaning: "average power, watts (static + dynamic, see docs/MODEL.md)") { d, _, _ in significant(d.evaluation.powerW, 4) },
        DesignColumn(name: "energy_mj", meaning: "energy per inference, millijoules") { d, _, _ in significant(d.evaluation.energyMJ, 6) },
        DesignColumn(name: "feasible", meaning: "true when every constraint of the spec holds") { d, _, _ in d.evaluation.feasible ? "true" : "false" },
        DesignColumn(name: "violations", meaning: "the broken constraints with value and limit, separated by '; '") { d, p, k in d.evaluation.violationText(platform: p, constraints: k) },
    ]

    /// The last column, filled once the search knows its front.
    public static let paretoColumn = (name: "pareto", meaning: "true when the design is on the Pareto front of the spec's objectives (feasible designs only)")

    public static var header: [String] { all.map(\.name) + [paretoColumn.name] }

    public static func fields(_ d: EvaluatedDesign, _ p: FPGAPlatform, _ k: Constraints) -> [String] {
        all.map { $0.value(d, p, k) }
    }
}

/// CSV quoting (RFC 4180): quote fields with commas, quotes or line breaks.
public enum CSV {
    public static func field(_ s: String) -> String {
        // By bytes, not characters: quick, and a comma or line break is found even where it
        // starts a grapheme cluster ("\r\n", a comma with a combining mark).
        if s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    /// `line(fields)` and a newline, appended as UTF-8 bytes (no intermediate strings for the
    /// fields that need no quotes: the CSV writer formats millions of them).
    public static func appendLine(_ fields: [String], to out: inout [UInt8]) {
        for (k, f) in fields.enumerated() {
            if k > 0 { out.append(0x2C) }
            var f = f
            let plain = f.withUTF8 { b in
                guard !b.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return false }
                out.append(contentsOf: b)
                return true
            }
            if !plain { out.append(contentsOf: field(f).utf8) }
        }
        out.append(0x0A)
    }

    /// Parses CSV text into rows of fields (RFC 4180 quoting).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else {
                switch c {
                case "\"": quoted = true
                case ",": row.append(field); field = ""
                case "\n":
                    row.append(field); field = ""
                    rows.append(row); row = []
                case "\r": break
                default: field.unicodeScalars.append(c)
                }
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
