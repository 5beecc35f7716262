/// Integer values of the emitted code's expressions: what decides trip counts, branches and the
/// instruction fields. Anything else (data, casts) is `.unknown`.
struct Evaluator {
    let program: CppProgram
    var locals: [String: SimValue]

    func value(_ e: CExpr) throws -> SimValue {
        switch e {
        case .num(let v): return .int(v)
        case .name(let n): return locals[n] ?? program.constants[n] ?? .unknown
        case .unary(let op, let x):
            guard let v = try value(x).int else { return op == "*" || op == "&" ? try value(x) : .unknown }
            switch op {
            case "-": return .int(-v)
            case "!": return .int(v == 0 ? 1 : 0)
            case "~": return .int(~v)
            case "+": return .int(v)
            default: return .unknown
            }
        case .binary(let op, let a, let b):
            if CppParser.assignments.contains(op) { return .unknown }
            let x = try value(a), y = try value(b)
            if case .pointer = x, op == "+" || op == "-" { return x }
            if case .pointer = y, op == "+" { return y }
            guard let l = x.int, let r = y.int else {
                if op == "&&", x.int == 0 || y.int == 0 { return .int(0) }
                if op == "||", (x.int ?? 0) != 0 || (y.int ?? 0) != 0 { return .int(1) }
                return .unknown
            }
            return Self.arithmetic(op, l, r)
        case .ternary(let c, let a, let b):
            guard let v = try value(c).int else { return .unknown }
            return try value(v != 0 ? a : b)
        case .member(let x, let m):
            if case .record(let r, _) = try value(x) { return r[m] ?? .unknown }
            return .unknown
        case .index(let x, let i):
            let base = try value(x)
            switch base {
            case .array(let items):
                guard let k = try value(i).int, items.indices.contains(k) else { return .unknown }
                return items[k]
            default: return .unknown
            }
        case .list(let items): return .array(try items.map { try value($0) })
        case .call, .method, .opaque: return .unknown
        }
    }

    static func arithmetic(_ op: String, _ l: Int, _ r: Int) -> SimValue {
        switch op {
        case "+": return .int(l &+ r)
        case "-": return .int(l &- r)
        case "*": return .int(l &* r)
        case "/": return r == 0 ? .unknown : .int(l / r)
        case "%": return r == 0 ? .unknown : .int(l % r)
        case "<": return .int(l < r ? 1 : 0)
        case "<=": return .int(l <= r ? 1 : 0)
        case ">": return .int(l > r ? 1 : 0)
        case ">=": return .int(l >= r ? 1 : 0)
        case "==": return .int(l == r ? 1 : 0)
        case "!=": return .int(l != r ? 1 : 0)
        case "&&": return .int(l != 0 && r != 0 ? 1 : 0)
        case "||": return .int(l != 0 || r != 0 ? 1 : 0)
        case "&": return .int(l & r)
        case "|": return .int(l | r)
        case "^": return .int(l ^ r)
        case "<<": return r >= 0 && r < 63 ? .int(l << r) : .unknown
        case ">>": return r >= 0 && r < 64 ? .int(l >> r) : .unknown
        default: return .unknown
        }
    }
}
