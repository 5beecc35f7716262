/// Recursive-descent parser of the statements and expressions `intarsia hls` emits (for loops
/// with constant or argument bounds, if, switch, declarations, calls, stream reads and writes).
/// Anything outside that subset is an error naming the file and line.
struct CppParser {
    var t: [CppToken]
    var p = 0
    init(_ tokens: [CppToken]) { t = tokens }

    var atEnd: Bool { p >= t.count }
    var cur: CppToken { p < t.count ? t[p] : CppToken(kind: .punct, text: "<end>", file: t.last?.file ?? "?", line: t.last?.line ?? 0) }
    func peek(_ k: Int) -> CppToken? { p + k < t.count ? t[p + k] : nil }
    func isP(_ s: String) -> Bool { !atEnd && t[p].kind == .punct && t[p].text == s }
    func isWord(_ s: String) -> Bool { !atEnd && t[p].kind == .ident && t[p].text == s }
    mutating func eat(_ s: String) -> Bool { if isP(s) { p += 1; return true }; return false }
    mutating func expect(_ s: String) throws {
        guard eat(s) else { throw SimulationError("\(cur.where_): expected '\(s)', found '\(cur.text)' (the simulator reads the C++ subset intarsia hls emits)") }
    }
    mutating func ident() throws -> String {
        guard !atEnd, t[p].kind == .ident else { throw SimulationError("\(cur.where_): expected a name, found '\(cur.text)'") }
        p += 1
        return t[p - 1].text
    }

    // MARK: statements

    mutating func block() throws -> [CStmt] {
        try expect("{")
        var out: [CStmt] = []
        while !isP("}") {
            guard !atEnd else { throw SimulationError("\(cur.where_): unclosed '{'") }
            out.append(try statement())
        }
        p += 1
        return out
    }

    mutating func statement() throws -> CStmt {
        let at = cur
        if at.kind == .pragma { p += 1; return .pragma(at.text, at) }
        if isP("{") { return .block(try block()) }
        if isP(";") { p += 1; return .block([]) }
        if at.kind == .ident {
            // label:
            if let n = peek(1), n.kind == .punct, n.text == ":", !["default"].contains(at.text) { p += 2; return .block([]) }
            switch at.text {
            case "for": return try forLoop()
            case "if":
                p += 1; try expect("(")
                let c = try expr(); try expect(")")
                let then = try statement()
                if isWord("else") { p += 1; return .ifStmt(c, then, try statement()) }
                return .ifStmt(c, then, nil)
            case "switch": return try switchStatement()
            case "break": p += 1; try expect(";"); return .breakStmt
            case "continue": p += 1; try expect(";"); return .continueStmt
            case "return":
                p += 1
                while !isP(";") && !atEnd { p += 1 }
                try expect(";"); return .returnStmt
            case "INTARSIA_PROCESS":
                p += 1; try expect("(")
                let e = try expr(); try expect(")"); _ = eat(";")
                return .process(e, at)
            case "INTARSIA_DATAFLOW_BEGIN", "INTARSIA_DATAFLOW_END": p += 1; return .block([])
            default: break
            }
            if let d = try declaration() { return d }
        }
        if isP("(") && peek(1)?.text == "void" && peek(2)?.text == ")" { p += 3 }
        let e = try expr()
        try expect(";")
        return .expr(e, at)
    }

    mutating func forLoop() throws -> CStmt {
        let at = cur
        p += 1; try expect("(")
        _ = isWord("int") || isWord("unsigned") ? (p += 1) : ()
        let v = try ident(); try expect("=")
        let start = try expr(); try expect(";")
        guard try ident() == v, !atEnd, ["<", "<=", ">", ">="].contains(cur.text) else {
            throw SimulationError("\(at.where_): a for loop whose condition is not '\(v) < bound' or '\(v) > bound' (the simulator reads the loops intarsia hls emits)")
        }
        let rel = cur.text; p += 1
        let bound = try expr(); try expect(";")
        var step = CExpr.num(1)
        if isP("++") || isP("--") {
            step = .num(cur.text == "++" ? 1 : -1); p += 1
            guard try ident() == v else { throw SimulationError("\(at.where_): loop step is not on \(v)") }
        } else {
            guard try ident() == v else { throw SimulationError("\(at.where_): loop step is not on \(v)") }
            if eat("+=") { step = try expr() } else if eat("-=") { step = .unary("-", try expr()) }
            else if eat("++") { step = .num(1) } else { try expect("--"); step = .num(-1) }
        }
        try expect(")")
        let body: [CStmt] = isP("{") ? try block() : [try statement()]
        return .forLoop(CForLoop(variable: v, start: start, relation: rel, bound: bound, step: step, body: body, at: at))
    }

    mutating func switchStatement() throws -> CStmt {
        p += 1; try expect("(")
        let d = try expr(); try expect(")"); try expect("{")
        var cases: [(label: CExpr?, body: [CStmt])] = []
        while !eat("}") {
            guard !atEnd else { throw SimulationError("\(cur.where_): unclosed switch") }
            if isWord("case") { p += 1; let l = try expr(); try expect(":"); cases.append((l, [])); continue }
            if isWord("default") { p += 1; try expect(":"); cases.append((nil, [])); continue }
            guard !cases.isEmpty else { throw SimulationError("\(cur.where_): statement before the first case") }
            cases[cases.count - 1].body.append(try statement())
        }
        return .switchStmt(d, cases)
    }

    /// A declaration when the statement starts with a type and a name; nil (position unchanged) otherwise.
    mutating func declaration() throws -> CStmt? {
        let start = p
        var words: [String] = []
        while isWord("const") || isWord("static") || isWord("constexpr") { words.append(cur.text); p += 1 }
        guard !atEnd, t[p].kind == .ident else { p = start; return nil }
        words.append(t[p].text); p += 1
        while isWord("long") || isWord("int") || isWord("char") { words.append(cur.text); p += 1 }
        if isP("<") {
            let a0 = p
            guard skipAngles() else { p = start; return nil }
            words.append(t[a0..<p].map(\.text).joined(separator: " "))
        }
        while isP("*") || isP("&") { words.append(cur.text); p += 1 }
        guard !atEnd, t[p].kind == .ident, let n = peek(1), n.kind == .punct, ["=", ";", "[", ",", "("].contains(n.text) else { p = start; return nil }
        let at = t[start]
        var ds: [CDeclarator] = []
        repeat {
            var d = CDeclarator(name: try ident(), dims: [], initial: nil)
            while eat("[") { d.dims.append(try expr()); try expect("]") }
            if eat("=") { d.initial = try expr() }
            else if eat("(") { var args: [CExpr] = []; while !eat(")") { args.append(try expr()); _ = eat(",") }; d.initial = .list(args) }
            ds.append(d)
        } while eat(",")
        try expect(";")
        return .decl(words, ds, at)
    }

    /// Skips a template argument list `<...>` and says whether it was one (balanced, ended).
    mutating func skipAngles() -> Bool {
        var depth = 0
        while !atEnd {
            if isP("<") { depth += 1 } else if isP(">") { depth -= 1; if depth == 0 { p += 1; return true } }
            else if isP(">>") { depth -= 2; if depth <= 0 { p += 1; return depth == 0 } }
            else if isP(";") || isP("{") || isP(")") { return false }
            p += 1
        }
        return false
    }

    // MARK: expressions

    static let levels: [[String]] = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", "<=", ">", ">="], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]]
    static let assignments: Set<String> = ["=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="]

    mutating func expr() throws -> CExpr {
        let lhs = try ternary()
        if !atEnd, t[p].kind == .punct, Self.assignments.contains(t[p].text) {
            let op = t[p].text; p += 1
            return .binary(op, lhs, try expr())
        }
        return lhs
    }

    mutating func ternary() throws -> CExpr {
        let c = try binary(0)
        guard eat("?") else { return c }
        let a = try expr(); try expect(":")
        return .ternary(c, a, try ternary())
    }

    mutating func binary(_ level: Int) throws -> CExpr {
        guard level < Self.levels.count else { return try unary() }
        var lhs = try binary(level + 1)
        while !atEnd, t[p].kind == .punct, Self.levels[level].contains(t[p].text) {
            let op = t[p].text; p += 1
            lhs = .binary(op, lhs, try binary(level + 1))
        }
        return lhs
    }

    mutating func unary() throws -> CExpr {
        for op in ["-", "!", "~", "++", "--", "+", "*", "&"] where isP(op) { p += 1; return .unary(op, try unary()) }
        return try postfix(try primary())
    }

    mutating func postfix(_ base: CExpr) throws -> CExpr {
        var e = base
        while true {
            if eat("[") { e = .index(e, try expr()); try expect("]") }
            else if eat(".") || eat("->") {
                let m = try ident()
                if eat("(") { e = .method(e, m, try arguments()) } else { e = .member(e, m) }
            } else if eat("++") || eat("--") { e = .unary("post", e) }
            else { return e }
        }
    }

    mutating func arguments() throws -> [CExpr] {
        var args: [CExpr] = []
        while !eat(")") {
            args.append(try expr())
            if !isP(")") { try expect(",") }
        }
        return args
    }

    mutating func primary() throws -> CExpr {
        let at = cur
        if eat("(") { let e = try expr(); try expect(")"); return e }
        if eat("{") {
            var items: [CExpr] = []
            while !eat("}") { items.append(try expr()); if !isP("}") { try expect(",") } }
            return .list(items)
        }
        if at.kind == .number {
            p += 1
            if at.text.hasPrefix("0x") { return .num(Int(at.text.dropFirst(2), radix: 16) ?? 0) }
            return Int(at.text).map(CExpr.num) ?? .opaque
        }
        if at.kind == .string { p += 1; return .opaque }
        guard at.kind == .ident else { throw SimulationError("\(at.where_): unexpected '\(at.text)' in an expression") }
        p += 1
        if at.text == "true" { return .num(1) }
        if at.text == "false" { return .num(0) }
        var targs: [CExpr] = []
        if isP("<"), isTemplateList() {
            p += 1
            while !eat(">") { targs.append(try binary(7)); if !isP(">") { try expect(",") } }
        }
        if eat("(") { return .call(at.text, targs, try arguments()) }
        // A member of a class template (`FRAC_OF<T>::value`): a compile-time value the timing never needs.
        if !targs.isEmpty, eat("::") { _ = try ident(); return .opaque }
        return .name(at.text)
    }

    /// Whether the `<` here opens template arguments: names, numbers and commas up to a
    /// matching `>` that a `(` follows.
    func isTemplateList() -> Bool {
        var k = p + 1, depth = 1
        while k < t.count {
            let x = t[k]
            if x.kind == .punct {
                if x.text == "<" { depth += 1 } else if x.text == ">" {
                    depth -= 1
                    if depth == 0 { return k + 1 < t.count && (t[k + 1].text == "(" || t[k + 1].text == "::") }
                } else if ![",", "!="].contains(x.text) { return false }
            }
            k += 1
        }
        return false
    }
}
