import Foundation

/// What one iteration of a pipelined loop touches: stream reads and writes, off-chip bytes, the
/// unrolled lanes inside it and whether it calls a function (a special-function pipeline).
struct LoopAccess {
    var reads: [Int] = []
    var writes: [Int] = []
    var offChipBytes: Double = 0
    var unrollFactor = 1
    var hasUnrolledLoop = false
    var callsFunction = false
    /// A stream access under a condition that depends on the iteration (see `collect`).
    var conditionalStreams = false

    /// Functions that only move raw bits (no arithmetic pipeline of their own).
    static let plain: Set<String> = ["raw", "from_raw"]

    static func mentionsStream(_ e: CExpr) -> Bool {
        switch e {
        case .method(let r, let m, let a): return m == "read" || m == "write" || mentionsStream(r) || a.contains(where: mentionsStream)
        case .unary(_, let x), .member(let x, _): return mentionsStream(x)
        case .binary(_, let a, let b), .index(let a, let b): return mentionsStream(a) || mentionsStream(b)
        case .ternary(let a, let b, let c): return mentionsStream(a) || mentionsStream(b) || mentionsStream(c)
        case .call(_, _, let a), .list(let a): return a.contains(where: mentionsStream)
        case .num, .name, .opaque: return false
        }
    }

    mutating func collect(_ e: CExpr, env: [String: SimValue], builder: TraceBuilder, multiplier: Int) throws {
        let ev = Evaluator(program: builder.program, locals: env)
        switch e {
        case .method(let r, let m, let args):
            for a in args { try collect(a, env: env, builder: builder, multiplier: multiplier) }
            guard m == "read" || m == "write" else { return }
            guard case .stream(let id) = try ev.value(r) else { throw SimulationError("a .\(m)() on something that is not a declared stream") }
            for _ in 0..<multiplier { if m == "read" { reads.append(id) } else { writes.append(id) } }
        case .index(let base, let i):
            if case .pointer(let port?) = try ev.value(base) { offChipBytes += (builder.portElementBytes[port] ?? 0) * Double(multiplier) }
            try collect(base, env: env, builder: builder, multiplier: multiplier)
            try collect(i, env: env, builder: builder, multiplier: multiplier)
        case .call(let n, _, let args):
            if builder.program.functions[TraceBuilder.bare(n)] != nil, !Self.plain.contains(TraceBuilder.bare(n)) { callsFunction = true }
            for a in args { try collect(a, env: env, builder: builder, multiplier: multiplier) }
        case .unary(_, let x), .member(let x, _): try collect(x, env: env, builder: builder, multiplier: multiplier)
        case .binary(_, let a, let b):
            try collect(a, env: env, builder: builder, multiplier: multiplier)
            try collect(b, env: env, builder: builder, multiplier: multiplier)
        case .ternary(let a, let b, let c):
            try collect(a, env: env, builder: builder, multiplier: multiplier)
            if let v = try ev.value(a).int { return try collect(v != 0 ? b : c, env: env, builder: builder, multiplier: multiplier) }
            for x in [b, c] { try collect(x, env: env, builder: builder, multiplier: multiplier) }
        case .list(let xs): for x in xs { try collect(x, env: env, builder: builder, multiplier: multiplier) }
        case .num, .name, .opaque: return
        }
    }

    /// Every statement of a pipelined body, inner loops fully unrolled (as Vitis HLS does inside
    /// a pipelined loop). An if whose condition is known from constants and indices counts its
    /// taken branch (a `continue` or `break` there ends the body); one the simulator cannot work
    /// out counts both (the pipeline holds both), and marks `conditionalStreams` when a branch
    /// touches a stream: the caller then works the loop out iteration by iteration.
    @discardableResult
    mutating func collect(_ stmts: [CStmt], env: [String: SimValue], builder: TraceBuilder, multiplier: Int) throws -> TraceBuilder.Flow {
        var env = env
        for s in stmts {
            let flow = try collect(s, env: &env, builder: builder, multiplier: multiplier)
            if flow != .normal { return flow }
        }
        return .normal
    }

    mutating func collect(_ s: CStmt, env: inout [String: SimValue], builder: TraceBuilder, multiplier: Int) throws -> TraceBuilder.Flow {
        let ev = Evaluator(program: builder.program, locals: env)
        switch s {
        case .expr(let e, _): try collect(e, env: env, builder: builder, multiplier: multiplier)
        case .decl(_, let ds, _):
            for d in ds {
                if let i = d.initial { try collect(i, env: env, builder: builder, multiplier: multiplier) }
                env[d.name] = d.dims.isEmpty ? try d.initial.map { try Evaluator(program: builder.program, locals: env).value($0) } ?? .unknown : .pointer(port: nil)
            }
        case .block(let b): return try collect(b, env: env, builder: builder, multiplier: multiplier)
        case .breakStmt: return .breakLoop
        case .continueStmt: return .continueLoop
        case .ifStmt(let c, let a, let b):
            try collect(c, env: env, builder: builder, multiplier: multiplier)
            if let v = try ev.value(c).int {
                if v != 0 { return try collect([a], env: env, builder: builder, multiplier: multiplier) }
                return try b.map { try collect([$0], env: env, builder: builder, multiplier: multiplier) } ?? .normal
            }
            let branches = [a] + (b.map { [$0] } ?? [])
            if branches.contains(where: { TraceBuilder.hasWork([$0], builder.program) }) { conditionalStreams = true }
            try collect(branches, env: env, builder: builder, multiplier: multiplier)
        case .switchStmt(let d, let cs):
            try collect(d, env: env, builder: builder, multiplier: multiplier)
            for c in cs { try collect(c.body, env: env, builder: builder, multiplier: multiplier) }
        case .forLoop(let l):
            let (_, _, n) = try builder.tripCount(l, env)
            hasUnrolledLoop = true
            unrollFactor *= max(n, 1)
            var inner = env
            inner[l.variable] = .unknown
            try collect(l.body, env: inner, builder: builder, multiplier: multiplier * n)
        default: break
        }
        return .normal
    }
}

extension TraceBuilder {
    func tripCount(_ l: CForLoop, _ env: [String: SimValue]) throws -> (start: Int, step: Int, trips: Int) {
        let ev = Evaluator(program: program, locals: env)
        guard let a = try ev.value(l.start).int, let b = try ev.value(l.bound).int, let s = try ev.value(l.step).int,
              s != 0, (s > 0) == l.relation.hasPrefix("<") else {
            throw SimulationError("\(l.at.where_): loop over \(l.variable) whose bounds the simulator cannot work out from constants, template arguments and call arguments")
        }
        let span = s > 0 ? (l.relation == "<=" ? b - a + 1 : b - a) : (l.relation == ">=" ? a - b + 1 : a - b)
        let m = abs(s)
        return (a, s, span <= 0 ? 0 : (span + m - 1) / m)
    }

    static func pragmas(_ body: [CStmt]) -> [String] {
        body.compactMap { if case .pragma(let p, _) = $0 { return p }; return nil }
    }

    /// Whether a loop body holds no loop of its own (other than unrolled ones) and calls nothing
    /// with loops: a leaf loop, timed as a whole.
    func isLeaf(_ body: [CStmt]) -> Bool {
        !body.contains { s in
            switch s {
            case .forLoop(let l): return !Self.pragmas(l.body).contains { $0.hasPrefix("UNROLL") }
            case .block(let b): return !isLeaf(b)
            case .ifStmt(_, let a, let b): return !isLeaf([a] + (b.map { [$0] } ?? []))
            case .switchStmt(_, let cs): return cs.contains { !isLeaf($0.body) }
            case .expr(let e, _): return Self.callsWork(e, program)
            case .decl(_, let ds, _): return ds.contains { d in d.initial.map { Self.callsWork($0, program) } ?? false }
            default: return false
            }
        }
    }

    func loop(_ l: CForLoop, _ env: inout [String: SimValue]) throws -> Flow {
        let (start, step, n) = try tripCount(l, env)
        let ps = Self.pragmas(l.body)
        let off = ps.contains { $0.hasPrefix("PIPELINE") && $0.contains("off") }
        let ii = ps.first { $0.hasPrefix("PIPELINE") && !$0.contains("off") }.map(Self.initiationInterval)
        let leaf = isLeaf(l.body)
        if ii != nil || leaf {
            var inner = env
            inner[l.variable] = .unknown
            var a = LoopAccess()
            try a.collect(l.body, env: inner, builder: self, multiplier: 1)
            let latency = a.hasUnrolledLoop ? timing.macBaseDepthCycles + Self.ceilLog2(a.unrollFactor)
                : a.callsFunction ? timing.sfuDepthCycles : 1
            let pipelined = ii != nil || (!off && n >= timing.autoPipelineTrips)
            var interval = pipelined ? Double(ii ?? 1) : latency
            guard n > 0 else { return .normal }
            if a.offChipBytes > 0 {
                emit(.delay(timing.burstLatencyCycles))
                interval = max(interval, (a.offChipBytes / portBytes).rounded(.up))
            }
            if a.reads.isEmpty && a.writes.isEmpty {
                emit(.delay(Double(n - 1) * interval + latency))
            } else {
                let runs = a.conditionalStreams ? try iterationRuns(l, env, start: start, step: step, trips: n)
                    : [Segment.Run(trips: n, reads: a.reads, writes: a.writes)]
                emit(.loop(ii: interval, depth: latency, runs: runs))
            }
            return .normal
        }
        for i in 0..<n {
            env[l.variable] = .int(start + i * step)
            let f = try exec(l.body, &env)
            if f == .breakLoop { break }
            if f == .returned { return .returned }
        }
        return .normal
    }

    /// The streams each iteration of a pipelined loop touches, worked out with its index bound
    /// (a stream access under a condition on the index), as runs of equal iterations. A condition
    /// around a stream access that the index does not decide either is refused with its place.
    func iterationRuns(_ l: CForLoop, _ env: [String: SimValue], start: Int, step: Int, trips: Int) throws -> [Segment.Run] {
        var runs: [Segment.Run] = []
        var inner = env
        for i in 0..<trips {
            inner[l.variable] = .int(start + i * step)
            var a = LoopAccess()
            try a.collect(l.body, env: inner, builder: self, multiplier: 1)
            guard !a.conditionalStreams else {
                throw SimulationError("\(l.at.where_): a stream access under a condition the simulator cannot work out from constants and loop indices")
            }
            if let last = runs.last, last.reads == a.reads, last.writes == a.writes { runs[runs.count - 1].trips += 1 }
            else { runs.append(.init(trips: 1, reads: a.reads, writes: a.writes)) }
        }
        return runs
    }

    static func initiationInterval(_ pragma: String) -> Int {
        guard let r = pragma.range(of: "II=") else { return 1 }
        return Int(pragma[r.upperBound...].prefix { $0.isNumber }) ?? 1
    }

    static func ceilLog2(_ n: Int) -> Double { n <= 1 ? 0 : Double(Int.bitWidth - (n - 1).leadingZeroBitCount) }
}
