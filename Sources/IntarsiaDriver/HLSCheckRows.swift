import Foundation
import IntarsiaRows

/// One figure of one module in `intarsia hls-check`'s table: the model's prediction beside the
/// vendor tool's estimate.
public struct HLSCheckRow: Sendable, Equatable {
    /// `top` (the kernel) or `task` (one task's module).
    public var scope: String
    /// The task's name in the workload; the top function's name for the top.
    public var task: String
    /// The Vitis module the tool figure comes from; "-" when the template has no module per task.
    public var module: String
    /// One of `HLSCheckRow.figures`, or `cosim_latency_cycles` / `cosim_interval_cycles`.
    public var figure: String
    /// The model's figure; nil where the model states none for this module (docs/HLS.md).
    public var model: Double?
    /// The tool's figure; nil where the tool has none (no module, or "undef" in the report).
    public var tool: Double?

    /// tool / model, when both are known and the model's figure is not 0.
    public var ratio: Double? {
        guard let m = model, let t = tool, m != 0 else { return nil }
        return t / m
    }

    /// The figures compared for every module, in the table's order.
    public static let figures = ["latency_cycles", "ii_cycles", "dsp", "bram18k", "uram", "lut", "ff"]
}

public enum HLSCheckColumns {
    static func number(_ v: Double?) -> String { v.map { String(format: "%.0f", $0) } ?? "-" }

    /// The columns of every format of `intarsia hls-check` (docs/HLS.md lists them from here).
    public static let columns = Columns<HLSCheckRow>([
        Column("scope", "`top` (the kernel) or `task` (one task's module)") { $0.scope },
        Column("task", "the task's name in the workload; the top function's name on `top` rows") { $0.task },
        Column("module", "the Vitis HLS module the tool figure comes from (`task_<name>` in the dataflow template); `-` where the template has no module per task") { $0.module },
        Column("figure", "`latency_cycles` (worst case), `ii_cycles` (interval, worst case), `dsp`, `bram18k`, `uram`, `lut`, `ff`; on the top also `cosim_latency_cycles` and `cosim_interval_cycles` (average, from C/RTL co-simulation) when its report is present") { $0.figure },
        Column("model", "the model's figure for this module; `-` where the model states none (docs/HLS.md says which)") { number($0.model) },
        Column("tool", "the figure from the Vitis HLS report; `-` where there is none (no module, or `undef`)") { number($0.tool) },
        Column("ratio", "tool / model, 3 decimals; `-` unless both are known and the model's figure is not 0") { r in r.ratio.map { String(format: "%.3f", $0) } ?? "-" },
    ])
}
