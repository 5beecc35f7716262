import IntarsiaFPGA
import IntarsiaRows

/// The design CSV's columns, in file order, each a case: one switch names a column, documents
/// it and writes its field. The rows of a search are written by `appendCSVLine`, a loop over
/// these cases, because a closure per column (`Column.write`) cost a retain and a release of its
/// context and an indirect call per field, millions of times; `DesignColumns.all` is built from
/// the same cases, so the header, docs/CSV.md and every other format say the same.
enum DesignField: Hashable, Sendable {
    case id, template, knob(Knob), stages, scheduleSpace, solverStatus, latencyCycles, latencyMs, throughputPerSecond
    case macs, utilization, dsp, bram18k, uram, lut, ff, offChipBytes, powerW, energyMJ, feasible, violations

    /// The columns in file order.
    static let order: [DesignField] = [
        .id, .template, .knob(.lanes), .knob(.allocation), .knob(.computeUnits), .knob(.scratchpadKiB),
        .knob(.weightLoad), .knob(.flattenLoops), .knob(.wordBits), .knob(.spill), .knob(.pipelined),
        .knob(.matVec), .knob(.streamElements), .stages, .scheduleSpace, .solverStatus, .latencyCycles,
        .latencyMs, .throughputPerSecond, .macs, .utilization, .dsp, .bram18k, .uram, .lut, .ff,
        .offChipBytes, .powerW, .energyMJ, .feasible, .violations,
    ]

    var name: String {
        switch self {
        case .knob(let k): k.rawValue
        case .id: "id"
        case .template: "template"
        case .stages: "stages"
        case .scheduleSpace: "schedule_space"
        case .solverStatus: "solver_status"
        case .latencyCycles: "latency_cycles"
        case .latencyMs: "latency_ms"
        case .throughputPerSecond: "throughput_per_s"
        case .macs: "macs"
        case .utilization: "utilization"
        case .dsp: "dsp"
        case .bram18k: "bram18k"
        case .uram: "uram"
        case .lut: "lut"
        case .ff: "ff"
        case .offChipBytes: "offchip_bytes"
        case .powerW: "power_w"
        case .energyMJ: "energy_mj"
        case .feasible: "feasible"
        case .violations: "violations"
        }
    }

    /// What the column holds and in which unit (docs/CSV.md).
    var meaning: String {
        switch self {
        case .id: "order of evaluation in the search, from 0"
        case .template: "dataflow, sequential or reconfigurable"
        case .stages: "stages of the schedule (dataflow 1; sequential one per MAC task)"
        case .scheduleSpace: "schedules the design's schedule was chosen among: `template` (dataflow and sequential: the template fixes it), `general` (reconfigurable: every schedule of the task graph), `contiguous` (reconfigurable: only stages that are contiguous segments of the topological order, because the graph of every schedule would have had more than 300,000 arcs; the optimum over all schedules may be missed), `given` (the spec's hand-written schedule)"
        case .solverStatus: "how the solver that chose the schedule or lane split ended: `optimal` (proven over its space: closed form, shortest path, or a solver's proof), `feasible (gap X%)` (a solver stopped at its time limit X% above its bound), `feasible (no bound: WHY)` (with `balance_stages`: stage lane splits whose solve stopped at its limit; WHY names them and their largest gap), `fallback: WHY` (a solver failed and a heuristic stood in: the proportional split for `allocation: balanced`, the shortest path for `scheduler: glpk`, the proportional or uniform split of a stage the balancer failed on with `balance_stages`; WHY is the solver's failure, e.g. `no schedule found within the time limit of 10 s`, and `intarsia search` names each distinct one once on stderr), `given` (nothing solved: the spec's schedule)"
        case .latencyCycles: "kernel cycles for one inference (all repetitions)"
        case .latencyMs: "latency at the platform clock, milliseconds"
        case .throughputPerSecond: "inferences per second, runs back to back"
        case .macs: "multiply-accumulates of the workload"
        case .utilization: "MACs / (cycles x lanes), 0 to 1"
        case .dsp: "DSP slices, shell included"
        case .bram18k: "BRAM18K blocks, shell included"
        case .uram: "URAM blocks, shell included"
        case .lut: "LUTs, shell included"
        case .ff: "flip-flops, shell included"
        case .offChipBytes: "bytes read from and written to off-chip memory per inference"
        case .powerW: "average power, watts (static + dynamic, see docs/MODEL.md)"
        case .energyMJ: "energy per inference, millijoules"
        case .feasible: "true when every constraint of the spec holds"
        case .violations: "the broken constraints with value and limit, separated by '; '"
        case .knob(.lanes): "total MAC lanes (multiply-accumulates per cycle) of the design"
        case .knob(.allocation): "dataflow: how lanes are split among tasks (proportional to MACs, or uniform)"
        case .knob(.computeUnits): "reconfigurable: compute units, the most MAC tasks one stage runs at once"
        case .knob(.scratchpadKiB): "sequential/reconfigurable: on-chip scratchpad for intermediates between stages, KiB"
        case .knob(.weightLoad): "double_buffered, buffered or blocking off-chip weight reads"
        case .knob(.flattenLoops): "whether each unit's loop nest is one flattened pipeline"
        case .knob(.wordBits): "width of each unit's off-chip data port, bits"
        case .knob(.spill): "sequential/reconfigurable: overflow (spill what does not fit) or always"
        case .knob(.pipelined): "whether each unit's loops are pipelined (false: every iteration takes the body's latency)"
        case .knob(.matVec): "dataflow/reconfigurable: how matrix-vector products take their input (dot, outer, auto)"
        case .knob(.streamElements): "dataflow/reconfigurable: elements a FIFO between tasks carries per cycle (0: matched to the producer)"
        case .knob: ""
        }
    }

    /// Whether the field never needs quoting (`Column.plain`): all but the template, the solver
    /// status and the violations (free text).
    var plain: Bool {
        switch self {
        case .template, .solverStatus, .violations: false
        default: true
        }
    }

    /// A knob column's bit (`DesignRow.bit`), 0 for the other columns.
    var knobBit: UInt32 { if case .knob(let k) = self { DesignRow.bit(k) } else { 0 } }

    /// Each column's `knobBit`, by position in `order`.
    static let knobBits: [UInt32] = order.map(\.knobBit)

    /// Appends the row's field, unquoted (the line's writer quotes it if it needs it); `e` is the
    /// row's evaluation; a knob column (bit `knobBit`) is empty when the row's template does not
    /// read the knob.
    @inline(__always)
    func write(_ r: DesignRow, _ e: Evaluation, knobBit: UInt32, to out: inout some ByteOutput) {
        switch self {
        case .id: FieldBytes.appendInt(r.design.id, to: &out)
        case .template: FieldBytes.appendText(r.design.point.template.rawValue, to: &out)
        case .knob(let k):
            guard r.knobBits & knobBit != 0 else { return }
            switch r.design.point.value(of: k) {
            case .int(let i): FieldBytes.appendInt(i, to: &out)
            case .text(let s): FieldBytes.appendText(s, to: &out)
            case .bool(let b): FieldBytes.appendFlag(b, to: &out)
            }
        case .stages: FieldBytes.appendInt(e.stages, to: &out)
        case .scheduleSpace: FieldBytes.appendText(e.scheduleSpace.rawValue, to: &out)
        case .solverStatus:
            // Nearly every row is optimal: its text without building a `String`.
            if case .optimal = e.solverStatus { FieldBytes.appendText("optimal", to: &out) } else { FieldBytes.appendText(e.solverStatus.text, to: &out) }
        case .latencyCycles: FieldBytes.appendNumber(e.latencyCycles.rounded(.up), to: &out)
        case .latencyMs: FieldBytes.appendSignificant(e.latencyMs, 6, to: &out)
        case .throughputPerSecond: FieldBytes.appendSignificant(e.throughputPerSecond, 6, to: &out)
        case .macs: FieldBytes.appendNumber(e.macs, to: &out)
        case .utilization: FieldBytes.appendSignificant(e.utilization, 4, to: &out)
        case .dsp: FieldBytes.appendInt(e.dsp, to: &out)
        case .bram18k: FieldBytes.appendInt(e.bram18k, to: &out)
        case .uram: FieldBytes.appendInt(e.uram, to: &out)
        case .lut: FieldBytes.appendInt(e.lut, to: &out)
        case .ff: FieldBytes.appendInt(e.ff, to: &out)
        case .offChipBytes: FieldBytes.appendNumber(e.offChipBytes.rounded(), to: &out)
        case .powerW: FieldBytes.appendSignificant(e.powerW, 4, to: &out)
        case .energyMJ: FieldBytes.appendSignificant(e.energyMJ, 6, to: &out)
        case .feasible: FieldBytes.appendFlag(e.feasible, to: &out)
        case .violations:
            // Empty for a feasible design, without building the list of parts.
            guard !e.feasible else { return }
            FieldBytes.appendText(e.violationText(platform: r.platform, constraints: r.constraints), to: &out)
        }
    }

    /// One CSV line of the streamed columns (every column but `pareto`) with its newline: the
    /// bytes of `DesignColumns.streamed.appendCSVLine`, each field quoted only if it needs it.
    static func appendCSVLine(_ r: DesignRow, to out: inout some ByteOutput) {
        // The evaluation read once a row, not once a field (a copy of a struct with references).
        let e = r.design.evaluation
        order.withUnsafeBufferPointer { fields in
            knobBits.withUnsafeBufferPointer { bits in
                for k in 0..<fields.count {
                    if k > 0 { out.appendByte(0x2C) }
                    let start = out.count
                    fields[k].write(r, e, knobBit: bits[k], to: &out)
                    if !fields[k].plain {
                        CSV.quoteInPlace(&out, from: start)
                    } else {
                        assert(CSV.isPlain(out, from: start), "column \(fields[k].name) is marked plain but its field needs quotes")
                    }
                }
            }
        }
        out.appendByte(0x0A)
    }
}
