import IntarsiaCore
import IntarsiaFPGA

extension HLSProgram {
    /// Bytes of a tensor of `elements` activations in the program's activation format.
    func tensorBytes(_ elements: Int) -> Double { Double(elements * activationFormat.bits) / 8 }
}

/// The steps of `HLSDesign.init`: unroll factors, dataflow FIFOs, where each tensor lives and
/// at which offset, the weight layout and the m_axi bundles.
extension HLSDesign {
    /// The reduction-loop unroll factor of each step: its lanes, capped by the reduction length.
    static func unrollFactors(_ program: HLSProgram, lanes: [Int]) -> [Int] {
        program.steps.enumerated().map { i, s in
            switch s.kind {
            case let .gemm(_, k, _, _, _): return max(1, min(lanes[i], k))
            case let .conv2d(_, c, _, _, _, r, q, _, _, g), let .transposedConv2d(_, c, _, _, _, r, q, _, _, g): return max(1, min(lanes[i], c / g * r * q))
            default: return 1
            }
        }
    }

    /// Dataflow streams: the model's FIFO (two output pieces, StageModel) per edge, or two
    /// elements where the consumer holds the whole tensor (`held`: [producer, consumer]; the model
    /// counts the consumer's buffer, no FIFO); a fork whose branches meet again holds the whole
    /// tensor (a module on one branch may read its operand whole before writing, so the
    /// branches' delays differ by up to a tensor).
    static func dataflowStreams(_ program: HLSProgram, ops: [Operator], overrides: [String: Int], held: Set<[Int]> = [])
        -> (streams: [Stream], forks: [Int]) {
        let n = program.steps.count
        var streams: [Stream] = []
        var forks: [Int] = []
        var descendants = [Set<Int>](repeating: [], count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for c in program.consumers[i] { descendants[i].formUnion(descendants[c].union([c])) }
        }
        // Every use of a tensor, in consumer order: (consumer, operand position).
        var uses = [[(consumer: Int, operand: Int)]](repeating: [], count: n)
        for (c, st) in program.steps.enumerated() {
            for (j, src) in st.inputs.enumerated() { if case .task(let q) = src { uses[q].append((c, j)) } }
        }
        for p in 0..<n {
            let cons = program.consumers[p]
            var reconverges = cons.count < uses[p].count  // one consumer reads it twice
            if uses[p].count > 1 {
                forks.append(p)
                for a in 0..<cons.count {
                    for b in (a + 1)..<cons.count where !descendants[cons[a]].union([cons[a]]).isDisjoint(with: descendants[cons[b]].union([cons[b]])) {
                        reconverges = true
                    }
                }
            }
            let elements = program.steps[p].outputElements
            let modelDepth = max(2, 2 * elements / max(1, ops[p].streamChunks))
            for u in uses[p] {
                var name = "\(program.steps[p].name)_to_\(program.steps[u.consumer].name)"
                if uses[p].filter({ $0.consumer == u.consumer }).count > 1 { name += "_in\(u.operand)" }
                name = sanitize(name)
                let fifo = held.contains([p, u.consumer]) ? 2 : min(modelDepth, max(2, elements))
                let depth = overrides[name] ?? (reconverges ? max(2, elements) : fifo)
                streams.append(Stream(producer: p, consumer: u.consumer, operand: u.operand, name: name, depth: depth))
            }
        }
        return (streams, forks)
    }

    /// The last stage that reads each step's output (-1 for a step no task reads).
    static func lastUseStage(_ program: HLSProgram, stage: [Int]) -> [Int] {
        var lastUse = [Int](repeating: -1, count: program.steps.count)
        for (c, s) in program.steps.enumerated() {
            for case .task(let p) in s.inputs { lastUse[p] = max(lastUse[p], stage[c]) }
        }
        return lastUse
    }

    /// Sequential / reconfigurable placement: a tensor that crosses a stage boundary stays on
    /// chip while the boundary's live set fits the scratchpad (spill: overflow), in producer
    /// order, else it is spilled for its whole life; spill: always spills every crossing tensor.
    /// Sinks are off chip.
    static func locations(_ program: HLSProgram, point: DesignPoint, stage: [Int], stageCount: Int, lastUse: [Int]) -> [Location] {
        let n = program.steps.count
        var location = [Location](repeating: .onChip, count: n)
        for p in program.sinks { location[p] = .offChip }
        let scratchBytes = Double(point.scratchpadKiB) * 1024
        guard !streams(point.template) else { return location }
        for boundary in 1..<max(stageCount, 1) {
            var used = 0.0
            for p in 0..<n where stage[p] < boundary && lastUse[p] >= boundary && location[p] == .onChip {
                let b = program.tensorBytes(program.steps[p].outputElements)
                if point.spill == .always || used + b > scratchBytes { location[p] = .offChip } else { used += b }
            }
        }
        return location
    }

    /// Offsets: on-chip tensors share the scratchpad by lifetime (first fit); off-chip ones
    /// follow the graph input in the activation buffer. Both sizes are at least one element.
    static func activationLayout(_ program: HLSProgram, location: [Location], stage: [Int], lastUse: [Int])
        -> (offset: [Int], scratchElements: Int, dramElements: Int) {
        let n = program.steps.count
        var offset = [Int](repeating: 0, count: n)
        var placed: [(lo: Int, hi: Int, from: Int, to: Int)] = []
        var scratch = 0
        var dram = program.graphInputElements
        for p in 0..<n {
            let size = program.steps[p].outputElements
            if location[p] == .offChip {
                offset[p] = dram
                dram += size
                continue
            }
            let from = stage[p], to = max(stage[p], lastUse[p])
            var at = 0
            let overlapping = placed.filter { !($0.to < from || $0.from > to) }.sorted { $0.lo < $1.lo }
            // Sorted by start, so one pass finds the lowest gap.
            for r in overlapping where at + size > r.lo && at < r.hi { at = r.hi }
            offset[p] = at
            placed.append((at, at + size, from, to))
            scratch = max(scratch, at + size)
        }
        return (offset, max(1, scratch), max(1, dram))
    }

    /// Each weighted step's offset in the one weight buffer, and the buffer's size (at least one).
    static func weightLayout(_ program: HLSProgram) -> (offset: [Int], elements: Int) {
        var offset = [Int](repeating: 0, count: program.steps.count)
        var total = 0
        for (i, s) in program.steps.enumerated() where s.hasWeights {
            offset[i] = total
            total += s.weightElements
        }
        return (offset, max(1, total))
    }

    /// m_axi bundles: one per off-chip port, dealt round-robin over the memory's channels (graph
    /// inputs and weights in step order, then the sinks' outputs).
    static func bundles(_ program: HLSProgram, channels: Int) -> (input: [Int: String], weight: [Int: String], output: [Int: String]) {
        let channels = max(1, channels)
        var next = 0
        func bundle() -> String {
            defer { next += 1 }
            return "gmem\(next % channels)"
        }
        var ib: [Int: String] = [:], wb: [Int: String] = [:], ob: [Int: String] = [:]
        for (i, s) in program.steps.enumerated() {
            if s.inputs.contains(.graphInput) { ib[i] = bundle() }
            if s.hasWeights { wb[i] = bundle() }
        }
        for p in program.sinks { ob[p] = bundle() }
        return (ib, wb, ob)
    }
}
