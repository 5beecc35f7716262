/// Walks the emitted code from the top function and turns each process into its timeline
/// (`Segment`s): loops with their trip counts, initiation intervals and depths, calls followed
/// into the module library, stream reads and writes, off-chip accesses at the port's bandwidth.
final class TraceBuilder {
    enum Flow { case normal, breakLoop, continueLoop, returned }
    let program: CppProgram
    let timing: SimTiming
    /// Stream ids by declared name (the project reader declares them).
    let streams: [String: Int]
    let portBytes: Double
    let portElementBytes: [Int: Double]
    var segments: [Segment] = []
    var tag = ""
    var depth = 0

    init(program: CppProgram, timing: SimTiming, streams: [String: Int], portElementBytes: [Int: Double]) {
        self.program = program; self.timing = timing; self.streams = streams
        self.portElementBytes = portElementBytes
        portBytes = timing.portBytesPerCycle(ports: portElementBytes.count)
    }

    func emit(_ k: Segment.Kind) {
        if case .delay(let c) = k, let last = segments.last, last.tag == tag, case .delay(let d) = last.kind {
            segments[segments.count - 1].kind = .delay(c + d); return
        }
        segments.append(Segment(tag: tag, kind: k))
    }

    static func bare(_ name: String) -> String {
        name.hasPrefix("intarsia::") ? String(name.dropFirst("intarsia::".count)) : name
    }

    /// Runs a call of a defined function with the caller's environment.
    func call(_ name: String, targs: [CExpr], args: [CExpr], env: [String: SimValue], at: String) throws {
        guard let f = program.functions[Self.bare(name)] else {
            throw SimulationError("\(at): calls \(name), which no file of the project defines")
        }
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw SimulationError("\(f.at.where_): calls nest deeper than 64 (recursion?)") }
        let ev = Evaluator(program: program, locals: env)
        var local: [String: SimValue] = [:]
        for (p, a) in zip(f.templateParameters, targs) { local[p] = try ev.value(a) }
        var label: String? = nil
        for (p, a) in zip(f.parameters, args) {
            let v = try ev.value(a)
            local[p.name] = v
            if case .record(_, let l) = v, let l { label = l }
        }
        let saved = tag
        if let label { tag = label }
        defer { tag = saved }
        _ = try exec(f.body, &local)
    }

    func exec(_ stmts: [CStmt], _ env: inout [String: SimValue]) throws -> Flow {
        for s in stmts {
            let f = try exec(s, &env)
            if f != .normal { return f }
        }
        return .normal
    }

    func exec(_ s: CStmt, _ env: inout [String: SimValue]) throws -> Flow {
        switch s {
        case .block(let b): return try exec(b, &env)
        case .pragma, .process: return .normal
        case .breakStmt: return .breakLoop
        case .continueStmt: return .continueLoop
        case .returnStmt: return .returned
        case .decl(let type, let ds, let at):
            for d in ds {
                if type.contains(where: { $0.hasSuffix("stream") }) { env[d.name] = streams[d.name].map(SimValue.stream) ?? .unknown }
                else if !d.dims.isEmpty { env[d.name] = .pointer(port: nil) }
                else if let initial = d.initial {
                    // An initialiser runs like an expression statement (`const x = in.read();`).
                    try expression(initial, &env, at: at.where_)
                    env[d.name] = try Evaluator(program: program, locals: env).value(initial)
                } else { env[d.name] = .unknown }
            }
            return .normal
        case .expr(let e, let at):
            try expression(e, &env, at: at.where_)
            return .normal
        case .ifStmt(let c, let a, let b):
            guard let v = try Evaluator(program: program, locals: env).value(c).int else {
                // A data-dependent branch with no loop, call or stream access in it takes no time of its own.
                if !Self.hasWork([a] + (b.map { [$0] } ?? []), program) { return .normal }
                throw SimulationError("\(Self.position(a)): an if whose condition the simulator cannot work out from constants and loop bounds, around a loop, call or stream access")
            }
            if v != 0 { return try exec(a, &env) }
            return try b.map { try exec($0, &env) } ?? .normal
        case .switchStmt(let d, let cases):
            guard let v = try Evaluator(program: program, locals: env).value(d).int else {
                throw SimulationError("switch on a value the simulator cannot work out")
            }
            let ev = Evaluator(program: program, locals: env)
            guard let start = try cases.firstIndex(where: { try $0.label.map { try ev.value($0).int == v } ?? false })
                    ?? cases.firstIndex(where: { $0.label == nil }) else { return .normal }
            for c in cases[start...] {
                let f = try exec(c.body, &env)
                if f == .breakLoop { return .normal }
                if f != .normal { return f }
            }
            return .normal
        case .forLoop(let l): return try loop(l, &env)
        }
    }

    static func position(_ s: CStmt) -> String {
        switch s {
        case .expr(_, let at), .decl(_, _, let at), .pragma(_, let at), .process(_, let at): return at.where_
        case .forLoop(let l): return l.at.where_
        case .block(let b): return b.first.map(position) ?? "?"
        default: return "?"
        }
    }

    /// An expression statement outside a pipelined loop: calls into defined functions with work
    /// run where they stand (after their arguments, as C++ evaluates them: `out.write(narrow(
    /// gemm_dot(...)))` runs gemm_dot's loop, then writes); the stream accesses between them are
    /// one-iteration loops; assignments to locals forget their value.
    func expression(_ e: CExpr, _ env: inout [String: SimValue], at: String) throws {
        var pending = LoopAccess()
        try run(e, env, &pending, at: at)
        flush(&pending)
        if case .binary(let op, let lhs, let rhs) = e, CppParser.assignments.contains(op), case .name(let n) = lhs, env[n] != nil {
            env[n] = op == "=" ? try Evaluator(program: program, locals: env).value(rhs) : .unknown
        }
    }

    func flush(_ pending: inout LoopAccess) {
        if !pending.reads.isEmpty || !pending.writes.isEmpty {
            emit(.loop(ii: 1, depth: 1, runs: [.init(trips: 1, reads: pending.reads, writes: pending.writes)]))
        }
        pending = LoopAccess()
    }

    /// Walks an expression in evaluation order: accesses gather in `pending` until a call with
    /// work, which first takes them as their own step.
    func run(_ e: CExpr, _ env: [String: SimValue], _ pending: inout LoopAccess, at: String) throws {
        switch e {
        case .call(let name, let targs, let args):
            for a in args { try run(a, env, &pending, at: at) }
            guard Self.callsWork(e, program, depth: 0, argumentsToo: false) else { return }
            flush(&pending)
            try call(name, targs: targs, args: args, env: env, at: at)
        case .method(let r, let m, let args):
            for a in args { try run(a, env, &pending, at: at) }
            try pending.collect(.method(r, m, []), env: env, builder: self, multiplier: 1)
        case .unary(_, let x), .member(let x, _): try run(x, env, &pending, at: at)
        case .binary(_, let a, let b), .index(let a, let b):
            try run(a, env, &pending, at: at); try run(b, env, &pending, at: at)
        case .ternary(let c, let a, let b):
            try run(c, env, &pending, at: at)
            guard let v = try Evaluator(program: program, locals: env).value(c).int else {
                if Self.callsWork(a, program) || Self.callsWork(b, program) || LoopAccess.mentionsStream(a) || LoopAccess.mentionsStream(b) {
                    throw SimulationError("\(at): a ?: whose condition the simulator cannot work out, around a call or stream access")
                }
                return
            }
            try run(v != 0 ? a : b, env, &pending, at: at)
        case .list(let xs): for x in xs { try run(x, env, &pending, at: at) }
        case .num, .name, .opaque: return
        }
    }

    /// Whether an expression calls a defined function that holds a loop or a stream access.
    static func callsWork(_ e: CExpr, _ program: CppProgram, depth: Int = 0, argumentsToo: Bool = true) -> Bool {
        switch e {
        case .call(let n, _, let args):
            if let f = program.functions[bare(n)], hasWork(f.body, program, depth: depth + 1) { return true }
            return argumentsToo && args.contains { callsWork($0, program, depth: depth) }
        case .method(let r, _, let a): return callsWork(r, program, depth: depth) || a.contains { callsWork($0, program, depth: depth) }
        case .unary(_, let x), .member(let x, _): return callsWork(x, program, depth: depth)
        case .binary(_, let a, let b), .index(let a, let b): return callsWork(a, program, depth: depth) || callsWork(b, program, depth: depth)
        case .ternary(let a, let b, let c): return [a, b, c].contains { callsWork($0, program, depth: depth) }
        case .list(let a): return a.contains { callsWork($0, program, depth: depth) }
        case .num, .name, .opaque: return false
        }
    }

    /// Whether a body holds a loop or a stream access (a call worth following).
    static func hasWork(_ body: [CStmt], _ program: CppProgram, depth: Int = 0) -> Bool {
        guard depth < 16 else { return true }
        return body.contains { s in
            switch s {
            case .forLoop: return true
            case .block(let b): return hasWork(b, program, depth: depth)
            case .ifStmt(_, let a, let b): return hasWork([a], program, depth: depth) || b.map { hasWork([$0], program, depth: depth) } ?? false
            case .switchStmt(_, let cs): return cs.contains { hasWork($0.body, program, depth: depth) }
            case .expr(let e, _): return callsWork(e, program, depth: depth) || LoopAccess.mentionsStream(e)
            case .decl(_, let ds, _):
                return ds.contains { d in d.initial.map { callsWork($0, program, depth: depth) || LoopAccess.mentionsStream($0) } ?? false }
            default: return false
            }
        }
    }
}
