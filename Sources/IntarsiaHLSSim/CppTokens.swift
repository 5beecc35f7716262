import Foundation

/// A token of the emitted C++ (the subset `intarsia hls` writes): identifiers (with `::`
/// joined in), integer literals, punctuation, strings, and pragmas (`#pragma HLS ...` lines and
/// `_Pragma("...")`, object-like macros expanded).
struct CppToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable { case ident, number, punct, string, pragma }
    var kind: Kind
    var text: String
    var file: String
    var line: Int
    var where_: String { "\(file):\(line)" }
}

/// Tokenizes one source file; `#define NAME body` (object-like) is recorded in `macros` (the
/// first definition wins, as the `#ifndef` guards of modules.h make the emitted params.h's win)
/// and expanded where the name appears. Other preprocessor lines are dropped.
struct CppLexer {
    var macros: [String: [CppToken]] = [:]
    /// The text of each line's trailing `//` comment, by file and line (PROGRAM rows name their task so).
    var comments: [String: [Int: String]] = [:]
    /// Names `#ifdef` sees as defined: every `#define`d name, and `__SYNTHESIS__` (the code is
    /// timed as Vitis HLS synthesises it).
    var defined: Set<String> = ["__SYNTHESIS__"]
    /// Whether each open `#if`/`#ifdef`/`#ifndef` branch is kept (an `#if` on an expression is kept).
    private var branches: [Bool] = []

    mutating func tokens(_ text: String, file: String) throws -> [CppToken] {
        var out: [CppToken] = []
        let lines = text.components(separatedBy: "\n")
        var inBlock = false
        for (i, raw) in lines.enumerated() {
            let n = i + 1
            var line = Substring(raw)
            if inBlock {
                guard let end = line.range(of: "*/") else { continue }
                line = line[end.upperBound...]; inBlock = false
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                if conditional(trimmed) { continue }
                if branches.contains(false) { continue }
                try directive(trimmed, file: file, line: n, into: &out)
                continue
            }
            if branches.contains(false) { continue }
            try scan(line, file: file, line: n, into: &out, inBlock: &inBlock)
        }
        return out
    }

    /// `#ifdef`, `#ifndef`, `#if`, `#else`, `#endif`: whether the line was one.
    private mutating func conditional(_ text: String) -> Bool {
        let words = text.dropFirst().split(separator: " ").map(String.init)
        switch words.first {
        case "ifdef": branches.append(words.count > 1 && defined.contains(words[1]))
        case "ifndef": branches.append(!(words.count > 1 && defined.contains(words[1])))
        case "if": branches.append(words.dropFirst().joined(separator: " ") != "0")
        case "else": if !branches.isEmpty { branches[branches.count - 1].toggle() }
        case "endif": _ = branches.popLast()
        default: return false
        }
        return true
    }

    private mutating func directive(_ text: String, file: String, line: Int, into out: inout [CppToken]) throws {
        let words = text.dropFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard let head = words.first else { return }
        if head == "pragma", words.count > 1, words[1] == "HLS" {
            out.append(CppToken(kind: .pragma, text: words.count > 2 ? words[2] : "", file: file, line: line))
        } else if head == "define", words.count > 1, !words[1].contains("(") {
            defined.insert(words[1])
            var body: [CppToken] = []
            var block = false
            try scan(Substring(words.count > 2 ? words[2] : ""), file: file, line: line, into: &body, inBlock: &block)
            if macros[words[1]] == nil { macros[words[1]] = body }
        } else if head == "define", words.count > 1 {
            defined.insert(String(words[1].prefix { $0 != "(" }))
        }
    }

    private mutating func scan(_ s: Substring, file: String, line: Int, into out: inout [CppToken], inBlock: inout Bool) throws {
        let c = Array(s.unicodeScalars)
        var i = 0
        func tok(_ k: CppToken.Kind, _ t: String) { out.append(CppToken(kind: k, text: t, file: file, line: line)) }
        while i < c.count {
            let ch = c[i]
            if ch == " " || ch == "\t" || ch == "\r" { i += 1; continue }
            if ch == "/" && i + 1 < c.count && c[i + 1] == "/" {
                comments[file, default: [:]][line] = String(String.UnicodeScalarView(c[(i + 2)...])).trimmingCharacters(in: .whitespaces)
                return
            }
            if ch == "/" && i + 1 < c.count && c[i + 1] == "*" {
                let rest = String(String.UnicodeScalarView(c[(i + 2)...]))
                guard let end = rest.range(of: "*/") else { inBlock = true; return }
                return try scan(Substring(rest[end.upperBound...]), file: file, line: line, into: &out, inBlock: &inBlock)
            }
            if ch.properties.isAlphabetic || ch == "_" {
                var j = i
                while j < c.count && (c[j].properties.isAlphabetic || c[j] == "_" || ("0"..."9").contains(c[j])
                                      || (c[j] == ":" && j + 2 < c.count && c[j + 1] == ":" && (c[j + 2].properties.isAlphabetic || c[j + 2] == "_"))) {
                    j += c[j] == ":" ? 2 : 1
                }
                let word = String(String.UnicodeScalarView(c[i..<j]))
                i = j
                if let body = macros[word] { out += body.map { CppToken(kind: $0.kind, text: $0.text, file: file, line: line) }; continue }
                if word == "_Pragma" {
                    // _Pragma("HLS PIPELINE II=1"): the string's text after "HLS ".
                    guard let open = c[i...].firstIndex(of: "\""), let close = c[(open + 1)...].firstIndex(of: "\"") else {
                        throw SimulationError("\(file):\(line): _Pragma without a string")
                    }
                    let text = String(String.UnicodeScalarView(c[(open + 1)..<close]))
                    tok(.pragma, text.hasPrefix("HLS ") ? String(text.dropFirst(4)) : text)
                    i = (c[(close + 1)...].firstIndex(of: ")") ?? close) + 1
                    continue
                }
                tok(.ident, word)
            } else if ("0"..."9").contains(ch) {
                var j = i
                while j < c.count && (c[j].properties.isAlphabetic || ("0"..."9").contains(c[j]) || c[j] == ".") { j += 1 }
                var lit = String(String.UnicodeScalarView(c[i..<j]))
                while let last = lit.last, "uUlL".contains(last) { lit.removeLast() }
                tok(.number, lit)
                i = j
            } else if ch == "\"" {
                var j = i + 1
                while j < c.count && c[j] != "\"" { j += c[j] == "\\" ? 2 : 1 }
                tok(.string, String(String.UnicodeScalarView(c[(i + 1)..<min(j, c.count)])))
                i = j + 1
            } else if ch == "'" {
                var j = i + 1
                while j < c.count && c[j] != "'" { j += c[j] == "\\" ? 2 : 1 }
                tok(.number, "0")
                i = j + 1
            } else {
                let two = i + 1 < c.count ? String(String.UnicodeScalarView([ch, c[i + 1]])) : ""
                let three = i + 2 < c.count ? two + String(c[i + 2]) : ""
                if ["<<=", ">>="].contains(three) { tok(.punct, three); i += 3 }
                else if ["==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "->", "::", "<<", ">>"].contains(two) { tok(.punct, two); i += 2 }
                else { tok(.punct, String(ch)); i += 1 }
            }
        }
    }
}

/// A failure the user should see: a project that cannot be read or simulated, naming the file.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
