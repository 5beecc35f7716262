import IntarsiaCore

/// Tasks' lane options along ascending lanes, each kept only where its cycles beat every option
/// with fewer lanes (the staircases the exact stage balancer bisects over), in flat arrays:
/// `option` is the step's index in the task's list of lane counts.
public struct LaneSteps: Sendable {
    public private(set) var option: [Int] = []
    public private(set) var steps: [LaneOption] = []

    public init(capacity: Int) {
        option.reserveCapacity(capacity)
        steps.reserveCapacity(capacity)
    }

    public var count: Int { steps.count }

    public mutating func append(option j: Int, _ o: LaneOption) {
        option.append(j)
        steps.append(o)
    }

    /// Appends `n` steps from scratch buffers (one copy per array, not one append per step).
    mutating func append(options: UnsafeMutablePointer<Int>, steps new: UnsafeMutablePointer<LaneOption>, count n: Int) {
        option.append(contentsOf: UnsafeBufferPointer(start: options, count: n))
        steps.append(contentsOf: UnsafeBufferPointer(start: new, count: n))
    }
}

extension MACTaskCosts {
    /// Appends the task's staircase over the lane counts of `sorted` (ascending, distinct) with
    /// `a` and `b` merged in where missing (`options(task, lanes:)` of that list, then only the
    /// options faster than every one before): the buffer blocks are worked out for the steps
    /// kept only. Returns the staircase's last (fastest) cycles, infinity when it is empty.
    public func appendSteps(_ task: Int, lanes sorted: [Int], merging a: Int, _ b: Int, into s: inout LaneSteps) -> Double {
        let t = tasks[task]
        let model = MACCycleModel(t, bytesPerCycle: bytesPerCycle, env: env)
        let bufferBytes = StageModel.weightBufferBytes(t, env: env)
        let capacity = sorted.count + 2
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { options in
            withUnsafeTemporaryAllocation(of: LaneOption.self, capacity: capacity) { steps in
                var extras = (min(a, b), max(a, b))
                var extraCount = a == b ? 1 : 2
                var best = Double.infinity
                var kept = 0
                var index = 0
                var next = 0
                while next < sorted.count || extraCount > 0 {
                    // The least of the list's next lane count and the next extra one (each once).
                    let l: Int
                    if extraCount > 0 && (next == sorted.count || extras.0 <= sorted[next]) {
                        l = extras.0
                        if next < sorted.count && sorted[next] == l { next += 1 }
                        extras.0 = extras.1
                        extraCount -= 1
                    } else {
                        l = sorted[next]
                        next += 1
                    }
                    let cycles = model.cycles(lanes: Double(l))
                    if cycles < best {
                        var c = StageCost()
                        StageModel.weightBufferBlocks(t, bytes: bufferBytes, width: Double(l), env: env, into: &c)
                        options[kept] = index
                        steps.initializeElement(at: kept, to: LaneOption(lanes: l, bram18k: c.bram18k, uram: c.uram, cycles: cycles))
                        kept += 1
                        best = cycles
                    }
                    index += 1
                }
                s.append(options: options.baseAddress!, steps: steps.baseAddress!, count: kept)
                return best
            }
        }
    }
}
