import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaRows
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia evaluate`: one design point with its per-task and per-stage breakdown.
public enum EvaluateJob {
    public struct Report: Codable {
        public var spec: String
        public var workload: String
        public var platform: String
        public var clockMHz: Double
        public var design: [String: String]
        public var latencyCycles: Double
        public var latencyMs: Double
        public var throughputPerSecond: Double
        public var macs: Double
        public var utilization: Double
        public var offChipBytes: Double
        public var dsp: Int
        public var bram18k: Int
        public var uram: Int
        public var lut: Int
        public var ff: Int
        public var powerW: Double
        public var energyMJ: Double
        public var feasible: Bool
        public var violations: String
        /// `allocation: balanced`: how the lanes were split ("optimal (exact bisection)", "feasible,
        /// gap ...", or the proportional split standing in and why); absent otherwise.
        public var laneSplit: String?
        public var repetitions: Int
        public var scheduleSpace: ScheduleSpace
        public var solverStatus: String
        public var stages: [StageRecord]
        public var tasks: [TaskRecord]
    }

    /// The design: the spec's first template (or `template`), each knob at its first listed
    /// value, then the `--set knob=value` overrides.
    public static func point(spec: DesignSpec, template: String?, sets: [String]) throws -> DesignPoint {
        var space = spec.space.templates[0]
        var sets = sets
        var templateName = template
        if let i = sets.firstIndex(where: { $0.hasPrefix("template=") }) {
            templateName = String(sets.remove(at: i).dropFirst("template=".count))
        }
        if let name = templateName {
            // The spec's own templates first (one it registered), then the built-in ones.
            guard let kind = spec.space.templates.first(where: { $0.template.rawValue == name })?.template ?? TemplateKind(rawValue: name) else {
                throw UserError("--set template='\(name)': unknown template; accepted: \(TemplateKind.acceptedNames)")
            }
            space = spec.space.templates.first { $0.template == kind }
                ?? TemplateSpace(template: kind, knobs: Knob.knobs(of: kind).map { ($0, [spec.space.templates[0].base.value(of: $0)]) })
        }
        var p = space.point(genes: space.values.map { _ in 0 })
        for s in sets {
            let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw UserError("--set '\(s)': expected knob=value; accepted knobs: template, \(Knob.allCases.map(\.rawValue).joined(separator: ", "))") }
            guard let knob = Knob(rawValue: parts[0]) else {
                throw UserError("--set '\(s)': unknown knob '\(parts[0])'; accepted: template, \(Knob.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard Knob.knobs(of: p.template).contains(knob) || Knob.asBuilt.contains(knob) else {
                throw UserError("--set '\(s)': the \(p.template.rawValue) template has no knob '\(knob.rawValue)'; accepted: \((Knob.knobs(of: p.template) + Knob.asBuilt).map(\.rawValue).joined(separator: ", "))")
            }
            guard let v = knob.parse(parts[1]) else { throw UserError("--set '\(s)': '\(parts[1])' is not a valid \(knob.rawValue); accepted: \(knob.accepted)") }
            p.set(knob, v)
        }
        return p
    }

    public static func run(specPath: String, template: String?, sets: [String]) throws -> Report {
        let spec = try DesignSpec.load(path: specPath)
        let p = try point(spec: spec, template: template, sets: sets)
        let model = spec.solvingModel
        var rec = BreakdownRecorder()
        let e = model.evaluate(p, recorder: &rec)
        var design = ["template": p.template.rawValue]
        for k in Knob.knobs(of: p.template) { design[k.rawValue] = p.value(of: k).description }
        for k in Knob.asBuilt where p.value(of: k) != DesignPoint(template: p.template, lanes: 1).value(of: k) { design[k.rawValue] = p.value(of: k).description }
        return Report(spec: spec.file, workload: spec.workload.name, platform: spec.platform.name, clockMHz: spec.platform.clockMHz,
                      design: design, latencyCycles: e.latencyCycles, latencyMs: e.latencyMs, throughputPerSecond: e.throughputPerSecond,
                      macs: e.macs, utilization: e.utilization, offChipBytes: e.offChipBytes, dsp: e.dsp, bram18k: e.bram18k,
                      uram: e.uram, lut: e.lut, ff: e.ff, powerW: e.powerW, energyMJ: e.energyMJ, feasible: e.feasible,
                      violations: e.violationText(platform: spec.platform, constraints: spec.constraints),
                      laneSplit: e.laneSplit?.description, repetitions: spec.workload.repetitions, scheduleSpace: e.scheduleSpace,
                      solverStatus: e.solverStatus.text, stages: rec.stages, tasks: rec.tasks)
    }

    public static func json(_ r: Report) throws -> String {
        try JSONText.pretty(r)
    }

    public static func text(_ r: Report) -> String {
        func n(_ x: Double) -> String { String(Int64(x.rounded())) }
        var s = "\(r.workload) on \(r.platform) at \(r.clockMHz) MHz: " + r.design.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
        s += "latency \(n(r.latencyCycles)) cycles, \(String(format: "%.4f", r.latencyMs)) ms"
        if r.repetitions > 1 { s += " (\(r.repetitions) repetitions of the graph below)" }
        s += "; throughput \(String(format: "%.2f", r.throughputPerSecond))/s; utilization \(String(format: "%.1f", r.utilization * 100))%\n"
        s += "resources: dsp \(r.dsp), bram18k \(r.bram18k), uram \(r.uram), lut \(r.lut), ff \(r.ff); off-chip \(n(r.offChipBytes)) bytes; power \(String(format: "%.2f", r.powerW)) W; energy \(String(format: "%.4g", r.energyMJ)) mJ\n"
        s += r.feasible ? "feasible\n" : "infeasible: \(r.violations)\n"
        s += "schedule: \(r.stages.count) stages, space \(r.scheduleSpace.rawValue), solver \(r.solverStatus)\n"
        if let split = r.laneSplit { s += "lane split: \(split)\n" }
        s += "\nstages (one repetition):\n"
        s += TextTable.render(header: ["stage", "pattern", "cycles", "buffer_bytes", "tasks", "scratchpad_before", "live_bytes", "spilled_bytes"],
                              rows: r.stages.map { [String($0.stage), $0.pattern, n($0.cycles), n($0.bufferBytes), $0.tasks.joined(separator: " "),
                                                    $0.liveBefore.isEmpty ? "-" : $0.liveBefore.joined(separator: " "), n($0.liveBytesBefore), n($0.spillBytesBefore)] })
        s += "\ntasks (cycles relative to the stage start):\n"
        s += TextTable.render(header: ["task", "op", "stage", "lanes", "start", "finish", "busy_cycles", "macs", "utilization", "offchip_bytes"],
                              rows: r.tasks.map { [$0.task, $0.op, String($0.stage), String($0.lanes), n($0.startCycle), n($0.finishCycle), n($0.busyCycles),
                                                   n($0.macs), $0.lanes > 0 ? String(format: "%.1f%%", $0.utilization * 100) : "-", n($0.offChipBytes)] })
        return s
    }
}
