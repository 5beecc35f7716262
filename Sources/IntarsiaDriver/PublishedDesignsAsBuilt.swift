import IntarsiaCore
import IntarsiaFPGA

/// A built design's tasks one by one (docs/MODEL.md, "Tasks as built"): per-task lanes and loop
/// nests read from its HLS. `PublishedDesign` sets them; a measurements CSV gives them in its
/// knobs column as `task_lanes=conv1:144,conv2:144` and `task_loops=sv:1048576x256`
/// (outer x inner trip counts), `task_loops=conv3:448x112+28` with cycles in series per entry,
/// `task_loops=dec2_relu:2x1568+784@2` for a special-function task's unpipelined nest (cycles per
/// iteration after `@`), `task_loops=dec1:2500x2+82&1` with single-element off-chip accesses in
/// series per entry (after `&`), `task_fifos=v_proj>sv:64` (a FIFO's depth as built, in elements, on the
/// edge from a task to its consumer) and `task_streams=k_proj>qk` (an edge its consumer streams
/// as built, accumulating outer products along the reduction).
public struct AsBuiltTasks: Sendable {
    public var lanes: [String: Int]?
    public var loops: [String: BuiltLoop]?
    /// FIFO depths in elements, keyed `producer>consumer`.
    public var fifos: [String: Int]?
    /// Edges streamed as built, `producer>consumer`.
    public var streams: [String]?
    public init(lanes: [String: Int]? = nil, loops: [String: BuiltLoop]? = nil, fifos: [String: Int]? = nil, streams: [String]? = nil) {
        self.lanes = lanes
        self.loops = loops
        self.fifos = fifos
        self.streams = streams
    }

    public var isEmpty: Bool { lanes == nil && loops == nil && fifos == nil && streams == nil }
    public static let knobNames = ["task_lanes", "task_loops", "task_fifos", "task_streams"]
    public static let accepted = "task_lanes=TASK:LANES,... (every MAC task), task_loops=TASK:OUTERxINNER[+SERIAL][@CYCLES][&ACCESSES],... (positive trip counts; SERIAL cycles in series per entry, 0 or more; CYCLES per iteration of a special-function task's unpipelined loop, 1 or more; ACCESSES single-element off-chip reads and writes in series per entry, 0 or more), task_fifos=PRODUCER>CONSUMER:ELEMENTS,... (an edge of the workload, a positive depth) or task_streams=PRODUCER>CONSUMER,... (an edge into a MAC task)"

    /// The same, per task index of a compiled workload; throws naming `owner` when a name is not
    /// a MAC task (a task of the workload for `task_loops`), or `task_lanes` leaves a MAC task
    /// without lanes.
    public func resolve(_ c: CompiledWorkload, owner: String) throws -> Resolved {
        func index(_ task: String, _ knob: String) throws -> Int {
            if knob == "task_loops", let i = c.names.firstIndex(of: task) { return i }
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
            for (task, l) in given {
                let i = try index(task, "task_loops")
                if c.tasks[i].isMAC && l.iterationCycles != 1 {
                    throw UserError("\(owner): task_loops gives '\(task)', a MAC task, @\(Int(l.iterationCycles)) cycles per iteration; accepted: @CYCLES on special-function tasks only (a MAC task's loops follow its pipeline knobs)")
                }
                perTask[i] = l
            }
            out.loops = perTask
        }
        if let given = fifos { out.fifoElements = try Self.edgeDepths(given, c, owner: owner) }
        if let given = streams {
            var marked = [Bool](repeating: false, count: c.predecessorTask.count)
            for edge in given {
                let e = try Self.edgeIndex(edge, c, owner: owner, knob: "task_streams")
                guard let consumer = c.tasks.firstIndex(where: { ($0.predecessorStart..<($0.predecessorStart + $0.predecessorCount)).contains(e) }),
                      c.tasks[consumer].isMAC else {
                    throw UserError("\(owner): task_streams names '\(edge)', whose consumer is not a MAC task; accepted: an edge into a MAC task")
                }
                marked[e] = true
            }
            out.streamedEdges = marked
        }
        return out
    }

    /// Per input edge of `c` (its predecessor index), the given FIFO depths; `.infinity` elsewhere.
    static func edgeDepths(_ given: [String: Int], _ c: CompiledWorkload, owner: String) throws -> [Double] {
        var depths = [Double](repeating: .infinity, count: c.predecessorTask.count)
        for (edge, depth) in given { depths[try edgeIndex(edge, c, owner: owner, knob: "task_fifos")] = Double(depth) }
        return depths
    }

    /// The input edge (predecessor index of `c`) named `producer>consumer`; throws naming `knob`.
    static func edgeIndex(_ edge: String, _ c: CompiledWorkload, owner: String, knob: String) throws -> Int {
        let ends = edge.split(separator: ">").map(String.init)
        let consumer = ends.count == 2 ? c.names.firstIndex(of: ends[1]) : nil
        let input = consumer.flatMap { i in
            (c.tasks[i].predecessorStart..<(c.tasks[i].predecessorStart + c.tasks[i].predecessorCount)).first { c.names[c.predecessorTask[$0]] == ends[0] }
        }
        guard let input else {
            throw UserError("\(owner): \(knob) names '\(edge)', which is not an edge between two tasks of the workload; accepted: PRODUCER>CONSUMER")
        }
        return input
    }

    /// Per task index: what the stage model takes.
    public struct Resolved: Sendable {
        var lanes: [Double]?
        var loops: [BuiltLoop?]?
        var fifoElements: [Double]?
        var streamedEdges: [Bool]?

        /// Evaluates `p` with the template's stages (the given schedule's, all tasks in one for
        /// dataflow, one MAC task per stage for sequential), each task on its own lanes and loops.
        public func evaluate<R: CostRecorder>(_ model: FPGAModel, _ p: DesignPoint, recorder: inout R) -> Evaluation {
            var s = model.schedule(p)
            for k in s.stages.indices {
                if let lanes { s.stages[k].taskLanes = lanes }
                s.stages[k].builtLoops = loops
                s.stages[k].fifoElements = fifoElements
                s.stages[k].streamedEdges = streamedEdges
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
            var lanes: [String: Int] = [:], loops: [String: BuiltLoop] = [:], fifos: [String: Int] = [:], streams: [String] = []
            for item in parts[1].split(separator: ",") {
                let kv = item.split(separator: ":").map(String.init)
                let read = kv.count == 2 ? kv[1].split(separator: "&", omittingEmptySubsequences: false) : []
                let accesses = read.count == 2 ? Double(read[1]) : read.count == 1 ? 0 : nil
                let timed = read.count >= 1 ? read[0].split(separator: "@", omittingEmptySubsequences: false) : []
                let iteration = timed.count == 2 ? Double(timed[1]) : timed.count == 1 ? 1 : nil
                let nest = timed.first.map { $0.split(separator: "+", omittingEmptySubsequences: false) } ?? []
                let trips = nest.first.map { $0.split(separator: "x").compactMap { Double($0) } } ?? []
                let serial = nest.count == 2 ? Double(nest[1]) : nest.count == 1 ? 0 : nil
                if kv.count == 2, parts[0] == "task_lanes", let l = Int(kv[1]), l > 0 {
                    lanes[kv[0]] = l
                } else if kv.count == 2, parts[0] == "task_loops", trips.count == 2, trips.allSatisfy({ $0 > 0 && $0 == $0.rounded() }),
                          let serial, serial >= 0, serial == serial.rounded(), let iteration, iteration >= 1, iteration == iteration.rounded(),
                          let accesses, accesses >= 0, accesses == accesses.rounded() {
                    loops[kv[0]] = BuiltLoop(outer: trips[0], inner: trips[1], serial: serial, iterationCycles: iteration, accesses: accesses)
                } else if kv.count == 2, parts[0] == "task_fifos", kv[0].contains(">"), let d = Int(kv[1]), d > 0 {
                    fifos[kv[0]] = d
                } else if kv.count == 1, parts[0] == "task_streams", kv[0].contains(">") {
                    streams.append(kv[0])
                } else {
                    throw UserError("\(owner): \(parts[0]) entry '\(item)' is not accepted; accepted: \(accepted)")
                }
            }
            switch parts[0] {
            case "task_lanes": out.lanes = lanes
            case "task_loops": out.loops = loops
            case "task_streams": out.streams = streams
            default: out.fifos = fifos
            }
        }
        return (out, rest)
    }
}
