import IntarsiaCore
import IntarsiaFPGA

/// A built design's tasks one by one (docs/MODEL.md, "Tasks as built"): per-task lanes and loop
/// nests read from its HLS. `PublishedDesign` sets them; a measurements CSV gives them in its
/// knobs column as `task_lanes=conv1:144,conv2:144` and `task_loops=sv:1048576x256`
/// (outer x inner trip counts).
public struct AsBuiltTasks: Sendable {
    public var lanes: [String: Int]?
    public var loops: [String: BuiltLoop]?
    public init(lanes: [String: Int]? = nil, loops: [String: BuiltLoop]? = nil) {
        self.lanes = lanes
        self.loops = loops
    }

    public var isEmpty: Bool { lanes == nil && loops == nil }
    public static let knobNames = ["task_lanes", "task_loops"]
    public static let accepted = "task_lanes=TASK:LANES,... (every MAC task) or task_loops=TASK:OUTERxINNER,... (positive trip counts)"

    /// The same, per task index of a compiled workload; throws naming `owner` when a name is not
    /// a MAC task, or `task_lanes` leaves a MAC task without lanes.
    public func resolve(_ c: CompiledWorkload, owner: String) throws -> Resolved {
        func index(_ task: String, _ knob: String) throws -> Int {
            guard let i = c.names.firstIndex(of: task), c.tasks[i].isMAC else {
                let macs = c.names.indices.filter { c.tasks[$0].isMAC }.map { c.names[$0] }.joined(separator: ", ")
                throw UserError("\(owner): \(knob) names '\(task)', which is not a MAC task; accepted: \(macs)")
            }
            return i
        }
        var out = Resolved()
        if let given = lanes {
            var perTask = [Double](repeating: 0, count: c.names.count)
            for (task, l) in given { perTask[try index(task, "task_lanes")] = Double(l) }
            if let i = c.names.indices.first(where: { c.tasks[$0].isMAC && perTask[$0] == 0 }) {
                throw UserError("\(owner): task_lanes gives no lanes to MAC task '\(c.names[i])'; accepted: lanes for every MAC task")
            }
            out.lanes = perTask
        }
        if let given = loops {
            var perTask = [BuiltLoop?](repeating: nil, count: c.names.count)
            for (task, l) in given { perTask[try index(task, "task_loops")] = l }
            out.loops = perTask
        }
        return out
    }

    /// Per task index: what the stage model takes.
    public struct Resolved: Sendable {
        var lanes: [Double]?
        var loops: [BuiltLoop?]?

        /// Evaluates `p` with the template's stages (the given schedule's, all tasks in one for
        /// dataflow, one MAC task per stage for sequential), each task on its own lanes and loops.
        public func evaluate<R: CostRecorder>(_ model: FPGAModel, _ p: DesignPoint, recorder: inout R) -> Evaluation {
            var s = model.schedule(p)
            for k in s.stages.indices {
                if let lanes { s.stages[k].taskLanes = lanes }
                s.stages[k].builtLoops = loops
            }
            return model.evaluate(p, schedule: s, recorder: &recorder)
        }
    }

    /// Splits `task_lanes=` and `task_loops=` entries off a knobs list; the rest is returned.
    public static func parse(_ knobs: [String], owner: String) throws -> (tasks: AsBuiltTasks, rest: [String]) {
        var out = AsBuiltTasks()
        var rest: [String] = []
        for entry in knobs {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, knobNames.contains(parts[0]) else { rest.append(entry); continue }
            var lanes: [String: Int] = [:], loops: [String: BuiltLoop] = [:]
            for item in parts[1].split(separator: ",") {
                let kv = item.split(separator: ":").map(String.init)
                let trips = kv.count == 2 ? kv[1].split(separator: "x").compactMap { Double($0) } : []
                if kv.count == 2, parts[0] == "task_lanes", let l = Int(kv[1]), l > 0 {
                    lanes[kv[0]] = l
                } else if kv.count == 2, parts[0] == "task_loops", trips.count == 2, trips.allSatisfy({ $0 > 0 && $0 == $0.rounded() }) {
                    loops[kv[0]] = BuiltLoop(outer: trips[0], inner: trips[1])
                } else {
                    throw UserError("\(owner): \(parts[0]) entry '\(item)' is not accepted; accepted: \(accepted)")
                }
            }
            if parts[0] == "task_lanes" { out.lanes = lanes } else { out.loops = loops }
        }
        return (out, rest)
    }
}
