/// A value the simulator follows: an integer (loop bounds, knobs), a stream, a pointer (off-chip
/// when it came from an `m_axi` port), a record (an instruction of PROGRAM[]) or an array.
indirect enum SimValue: Sendable {
    case int(Int)
    case stream(Int)
    /// `port`: the index of the m_axi port it points into; nil for on-chip memory.
    case pointer(port: Int?)
    case record([String: SimValue], label: String?)
    case array([SimValue])
    case unknown

    var int: Int? { if case .int(let v) = self { return v }; return nil }
}

/// The declarations of an emitted project's sources (params.h, modules.h, intarsia_math.h,
/// top.cpp): constants (enums, `static const`, `cfg_<task>::NAME`), typedef widths, the record
/// layouts and constant tables (PROGRAM[]), and every function definition.
struct CppProgram {
    var constants: [String: SimValue] = [:]
    var typeBits: [String: Int] = [:]
    var layouts: [String: [(name: String, count: Int?)]] = [:]
    var functions: [String: CFunction] = [:]
    var comments: [String: [Int: String]] = [:]

    mutating func read(_ tokens: [CppToken]) throws {
        var ps = CppParser(tokens)
        var templateParameters: [String] = []
        let scope = ""
        while !ps.atEnd {
            if ps.isWord("namespace") { ps.p += 1; _ = try ps.ident(); try ps.expect("{"); continue }
            if ps.eat("}") || ps.eat(";") { continue }
            if ps.isWord("extern") { ps.p += 1; if ps.cur.kind == .string { ps.p += 1 }; continue }
            if ps.isWord("template") {
                ps.p += 1
                let from = ps.p
                guard ps.skipAngles() else { throw SimulationError("\(ps.cur.where_): unterminated template parameter list") }
                templateParameters = (from..<ps.p).compactMap { k in
                    k > from && ["int", "class", "bool", "typename"].contains(tokens[k - 1].text) && tokens[k].kind == .ident ? tokens[k].text : nil
                }
                continue
            }
            if ps.isWord("enum") { try enumeration(&ps); continue }
            if ps.isWord("struct") { try structure(&ps); templateParameters = []; continue }
            if ps.isWord("typedef") { try typedef(&ps, scope: scope); continue }
            try definition(&ps, templateParameters: templateParameters)
            templateParameters = []
        }
    }

    mutating func enumeration(_ ps: inout CppParser) throws {
        ps.p += 1
        if ps.cur.kind == .ident { ps.p += 1 }
        try ps.expect("{")
        var next = 0
        while !ps.eat("}") {
            let n = try ps.ident()
            if ps.eat("=") { next = try evaluate(try ps.ternary()).int ?? next }
            constants[n] = .int(next); next += 1
            _ = ps.eat(",")
        }
        _ = ps.eat(";")
    }

    mutating func structure(_ ps: inout CppParser) throws {
        ps.p += 1
        let name = try ps.ident()
        if ps.isP("<") { _ = ps.skipAngles() }
        guard ps.eat("{") else { _ = ps.eat(";"); return }
        var fields: [(name: String, count: Int?)] = []
        while !ps.eat("}") {
            guard !ps.atEnd else { throw SimulationError("\(ps.cur.where_): unclosed struct \(name)") }
            if ps.isWord("typedef") { try typedef(&ps, scope: name + "::"); continue }
            let start = ps.p
            while !ps.isP(";") && !ps.isP("{") && !ps.atEnd { ps.p += 1 }
            if ps.isP("{") { ps.p = start; try skipDefinition(&ps); continue }
            let words = Array(ps.t[start..<ps.p])
            ps.p += 1
            if let eq = words.firstIndex(where: { $0.text == "=" }), eq > 0 {
                var sub = CppParser(Array(words[(eq + 1)...]))
                constants[name + "::" + words[eq - 1].text] = try evaluate(try sub.expr())
            } else if words.first?.text == "int" {
                var k = 1
                while k < words.count {
                    let n = words[k].text
                    var count: Int? = nil
                    if k + 2 < words.count, words[k + 1].text == "[" { count = Int(words[k + 2].text); k += 3 }
                    fields.append((n, count)); k += 2
                }
            }
        }
        _ = ps.eat(";")
        if !fields.isEmpty { layouts[name] = fields }
    }

    mutating func skipDefinition(_ ps: inout CppParser) throws {
        while !ps.isP("{") && !ps.atEnd { ps.p += 1 }
        _ = try ps.block()
    }

    mutating func typedef(_ ps: inout CppParser, scope: String) throws {
        ps.p += 1
        let start = ps.p
        while !ps.isP(";") && !ps.atEnd { ps.p += 1 }
        let words = Array(ps.t[start..<ps.p])
        ps.p += 1
        guard let name = words.last?.text else { return }
        if let w = words.firstIndex(where: { $0.text.hasPrefix("ap_") }), w + 2 < words.count, let bits = Int(words[w + 2].text) {
            typeBits[scope + name] = bits
        } else if let base = words.first?.text, let bits = typeBits[base] {
            typeBits[scope + name] = bits
        }
    }

    /// A function definition or prototype, or a constant (`static const int X = ...;`, a table).
    mutating func definition(_ ps: inout CppParser, templateParameters: [String]) throws {
        let start = ps.p
        while !ps.atEnd && !ps.isP("(") && !ps.isP("=") && !ps.isP(";") && !ps.isP("[") { ps.p += 1 }
        guard ps.p > start, ps.t[ps.p - 1].kind == .ident else { throw SimulationError("\(ps.cur.where_): unexpected '\(ps.cur.text)' at file scope") }
        let name = ps.t[ps.p - 1].text, at = ps.t[ps.p - 1]
        if ps.eat("(") {
            var params: [(name: String, kind: CFunction.ParameterKind, type: [String])] = []
            var words: [String] = []
            var depth = 0
            while !(depth == 0 && ps.isP(")")) {
                guard !ps.atEnd else { throw SimulationError("\(at.where_): unclosed parameter list of \(name)") }
                let x = ps.cur.text
                guard x != "{" && x != ";" else { throw SimulationError("\(ps.cur.where_): '\(x)' in the parameter list of \(name)") }
                if x == "<" { depth += 1 } else if x == ">" { depth -= 1 }
                if x == "," && depth == 0 { params.append(Self.parameter(words)); words = [] } else { words.append(x) }
                ps.p += 1
            }
            ps.p += 1
            if !words.isEmpty && words != ["void"] { params.append(Self.parameter(words)) }
            while ps.isWord("const") { ps.p += 1 }
            if ps.eat(";") { return }
            let body = try ps.block()
            functions[name] = CFunction(name: name, templateParameters: templateParameters, parameters: params, body: body, at: at)
            return
        }
        var dims: [CExpr] = []
        while ps.eat("[") { dims.append(try ps.expr()); try ps.expect("]") }
        guard ps.eat("=") else { _ = ps.eat(";"); return }
        let e = try ps.expr()
        try ps.expect(";")
        let type = start < ps.t.count ? ps.t[start..<max(start, ps.p)].map(\.text).first { layouts[$0] != nil } : nil
        constants[name] = try value(e, layout: type.flatMap { layouts[$0] }, at: at)
    }

    static func parameter(_ words: [String]) -> (name: String, kind: CFunction.ParameterKind, type: [String]) {
        let kind: CFunction.ParameterKind = words.contains { $0.hasSuffix("stream") } ? .stream : words.contains("*") ? .pointer : .scalar
        return (words.last ?? "", kind, Array(words.dropLast()))
    }

    /// A constant initialiser's value; a brace list of a record type becomes records in the
    /// layout's field order, labelled with the trailing comment of the line they end on.
    func value(_ e: CExpr, layout: [(name: String, count: Int?)]?, at: CppToken) throws -> SimValue {
        guard case .list(let items) = e else { return try evaluate(e) }
        guard let layout else { return .array(try items.map { try value($0, layout: nil, at: at) }) }
        // Each row's trailing comment names its task (`// fc1`), in line order after the declaration.
        let fileComments = comments[at.file] ?? [:]
        let labels = fileComments.keys.filter { $0 > at.line }.sorted().prefix(items.count).map { fileComments[$0]! }
        var rows: [SimValue] = []
        for (r, item) in items.enumerated() {
            guard case .list(let fields) = item, fields.count == layout.count else {
                throw SimulationError("\(at.where_): row \(r) of \(at.text) does not have the \(layout.count) fields of its struct")
            }
            var rec: [String: SimValue] = [:]
            for (f, field) in zip(layout, fields) { rec[f.name] = try value(field, layout: nil, at: at) }
            rows.append(.record(rec, label: r < labels.count ? labels[r] : nil))
        }
        return .array(rows)
    }

    func evaluate(_ e: CExpr) throws -> SimValue {
        try Evaluator(program: self, locals: [:]).value(e)
    }
}
