/// The event-driven run of a process network: every process walks its timeline; an iteration of
/// a pipelined loop issues once the previous one is an interval behind, each stream it reads has
/// the element (written at least a cycle before) and each stream it writes has room (the element
/// `depth` places back read at least a cycle before the write). An iteration's reads happen at
/// its issue, its writes `depth - 1` cycles later (the end of its pipeline).
struct NetworkSimulation {
    struct Stream { var name: String; var depth: Int; var widthBits: Int }
    struct Process { var name: String; var segments: [Segment] }

    let streams: [Stream]
    let processes: [Process]

    private struct State {
        var seg = 0, iter = 0
        /// The run of the current loop segment and the first iteration of that run.
        var run = 0, runStart = 0
        var t = 0.0, segStart = 0.0, lastIssue = 0.0
        var stall = 0.0
        var waiting: String? = nil
    }

    func run() -> SimulationResult {
        var writeT = [[Double]](repeating: [], count: streams.count)
        var readT = [[Double]](repeating: [], count: streams.count)
        var full = [Double](repeating: 0, count: streams.count)
        var empty = [Double](repeating: 0, count: streams.count)
        var states = [State](repeating: State(), count: processes.count)
        var tagCycles: [String: Double] = [:]
        var tagStall: [String: Double] = [:]
        var tagOrder: [String] = []
        var progress = true
        while progress {
            progress = false
            for (p, proc) in processes.enumerated() {
                var s = states[p]
                segments: while s.seg < proc.segments.count {
                    let segment = proc.segments[s.seg]
                    if s.iter == 0 { s.segStart = s.t }
                    switch segment.kind {
                    case .delay(let c):
                        s.t += c
                    case .loop(let ii, let depth, let runs):
                        let n = runs.reduce(0) { $0 + $1.trips }
                        while s.iter < n {
                            while s.iter - s.runStart >= runs[s.run].trips { s.runStart += runs[s.run].trips; s.run += 1 }
                            let reads = runs[s.run].reads, writes = runs[s.run].writes
                            let base = s.iter == 0 ? s.t : s.lastIssue + ii
                            var issue = base
                            var binding: (stream: Int, full: Bool)? = nil
                            var occ: [Int: Int] = [:]
                            for r in reads {
                                let k = readT[r].count + occ[r, default: 0]; occ[r, default: 0] += 1
                                guard k < writeT[r].count else { s.waiting = streams[r].name + " (empty)"; break segments }
                                if writeT[r][k] + 1 > issue { issue = writeT[r][k] + 1; binding = (r, false) }
                            }
                            occ = [:]
                            for w in writes {
                                let k = writeT[w].count + occ[w, default: 0]; occ[w, default: 0] += 1
                                let back = k - streams[w].depth
                                guard back >= 0 else { continue }
                                guard back < readT[w].count else { s.waiting = streams[w].name + " (full)"; break segments }
                                let c = readT[w][back] + 1 - (depth - 1)
                                if c > issue { issue = c; binding = (w, true) }
                            }
                            if let b = binding {
                                if b.full { full[b.stream] += issue - base } else { empty[b.stream] += issue - base }
                                s.stall += issue - base
                                tagStall[segment.tag, default: 0] += issue - base
                            }
                            for r in reads { readT[r].append(issue) }
                            for w in writes { writeT[w].append(issue + depth - 1) }
                            s.lastIssue = issue
                            s.iter += 1
                            progress = true
                        }
                        s.t = n > 0 ? s.lastIssue + depth : s.t
                    }
                    if tagCycles[segment.tag] == nil { tagOrder.append(segment.tag) }
                    tagCycles[segment.tag, default: 0] += s.t - s.segStart
                    s.seg += 1; s.iter = 0; s.run = 0; s.runStart = 0; s.waiting = nil
                    progress = true
                }
                states[p] = s
            }
        }
        let stuck = processes.indices.filter { states[$0].seg < processes[$0].segments.count }
        return SimulationResult(
            latencyCycles: stuck.isEmpty ? states.map(\.t).max() ?? 0 : nil,
            processes: processes.indices.map { p in
                ProcessStats(name: processes[p].name, endCycle: states[p].t, stallCycles: states[p].stall)
            },
            fifos: streams.indices.map { i in
                FIFOStats(name: streams[i].name, depth: streams[i].depth, widthBits: streams[i].widthBits,
                          elements: writeT[i].count, fullStallCycles: full[i], emptyStallCycles: empty[i])
            },
            tasks: tagOrder.map { TaskStats(name: $0, busyCycles: tagCycles[$0]! - tagStall[$0, default: 0], stallCycles: tagStall[$0, default: 0]) },
            deadlock: stuck.map { "\(processes[$0].name) waits on \(states[$0].waiting ?? "?")" })
    }
}

/// One process: when it finished and how many cycles it stood stalled on a FIFO.
public struct ProcessStats: Sendable, Equatable {
    public var name: String
    public var endCycle: Double
    public var stallCycles: Double
}

/// One task: the cycles it worked (its timeline less its stalls) and stood stalled on FIFOs.
public struct TaskStats: Sendable, Equatable {
    public var name: String
    public var busyCycles: Double
    public var stallCycles: Double
}

/// One FIFO: its emitted depth and element width, the elements that went through it, and the
/// cycles its writer stood stalled on it full and its reader stood stalled on it empty.
public struct FIFOStats: Sendable, Equatable {
    public var name: String
    public var depth: Int
    public var widthBits: Int
    public var elements: Int
    public var fullStallCycles: Double
    public var emptyStallCycles: Double
}

public struct SimulationResult: Sendable {
    /// Cycles until the last process finishes; nil on a deadlock.
    public var latencyCycles: Double?
    public var processes: [ProcessStats]
    public var fifos: [FIFOStats]
    /// Cycles per task (a dataflow process, or a program's instructions of one task).
    public var tasks: [TaskStats]
    /// The processes stuck waiting when nothing could move (empty when none).
    public var deadlock: [String]
}
