import Foundation

/// The repository's files as the architecture tests read them: Package.swift, every Swift file
/// under Sources/, and a light Swift lexer (enough to find imports and function bodies).
enum Repository {
    /// The checkout this test file lives in (Tests/IntarsiaArchitectureTests/ is two levels down).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// Every Swift file under Sources/, as (path relative to the root, module, text), sorted by path.
    static func swiftSources() throws -> [(path: String, module: String, text: String)] {
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else { return [] }
        var out: [(path: String, module: String, text: String)] = []
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            let module = String(relative.split(separator: "/")[0])
            out.append(("Sources/" + relative, module, try text("Sources/" + relative)))
        }
        return out.sorted { $0.path < $1.path }
    }
}

/// Swift text with comments and string literals (interpolations included) blanked to spaces, so
/// that braces and keywords left are code; newlines are kept, so line numbers stay the same.
/// Handles `//` and `/* */` comments, `"..."` and `"""..."""` with `\( )` interpolation, and raw
/// strings `#"..."#`. Not handled (unused in Sources/): regex literals and `\#(` in raw strings.
struct BlankedSwift {
    let chars: [Character]
    init(_ text: String) {
        var out = Array(text)
        var i = 0
        Self.code(&out, &i, untilParenClose: false)
        chars = out
    }

    /// Lexes code from `i`; with `untilParenClose`, stops after the `)` that closes an
    /// interpolation (blanking it all). Strings and comments are blanked in place.
    private static func code(_ s: inout [Character], _ i: inout Int, untilParenClose: Bool) {
        var depth = 0
        while i < s.count {
            let c = s[i]
            if c == "/" && i + 1 < s.count && s[i + 1] == "/" {
                while i < s.count && s[i] != "\n" { s[i] = " "; i += 1 }
            } else if c == "/" && i + 1 < s.count && s[i + 1] == "*" {
                while i < s.count && !(s[i] == "*" && i + 1 < s.count && s[i + 1] == "/") { if s[i] != "\n" { s[i] = " " }; i += 1 }
                if i < s.count { s[i] = " "; s[i + 1] = " "; i += 2 }
            } else if c == "#" || c == "\"" {
                var hashes = 0
                while i + hashes < s.count && s[i + hashes] == "#" { hashes += 1 }
                if i + hashes < s.count && s[i + hashes] == "\"" { string(&s, &i, hashes: hashes, blankInterpolations: untilParenClose) } else { i += max(hashes, 1) }
            } else {
                if untilParenClose {
                    if c == "(" { depth += 1 } else if c == ")" { if depth == 0 { s[i] = " "; i += 1; return }; depth -= 1 }
                    if c != "\n" { s[i] = " " }
                }
                i += 1
            }
        }
    }

    /// Blanks the string literal starting at `i` (after `hashes` #s), moving `i` past it.
    private static func string(_ s: inout [Character], _ i: inout Int, hashes: Int, blankInterpolations: Bool) {
        let start = i
        i += hashes
        let multiline = i + 2 < s.count && s[i + 1] == "\"" && s[i + 2] == "\""
        let quotes = multiline ? 3 : 1
        i += quotes
        func closes(at k: Int) -> Bool {
            guard k + quotes + hashes <= s.count else { return false }
            return (0..<quotes).allSatisfy { s[k + $0] == "\"" } && (0..<hashes).allSatisfy { s[k + quotes + $0] == "#" }
        }
        while i < s.count && !closes(at: i) {
            if s[i] == "\\" && hashes == 0 && i + 1 < s.count {
                if s[i + 1] == "(" {
                    s[i] = " "; s[i + 1] = " "; i += 2
                    code(&s, &i, untilParenClose: true)
                    continue
                }
                s[i] = " "; i += 1
                if s[i] != "\n" { s[i] = " " }
                i += 1
                continue
            }
            if s[i] != "\n" { s[i] = " " }
            i += 1
        }
        i = min(s.count, i + quotes + hashes)
        for k in start..<i where s[k] != "\n" { s[k] = " " }
    }
}

/// A function (`func`) or initialiser (`init`) with a body, and its length in lines from the
/// line of its keyword to the line of its closing brace.
struct FunctionBody {
    var name: String
    var line: Int
    var lines: Int

    /// The heuristic: every `func NAME` and `init` keyword (not `.init`) in the blanked text; its
    /// body is the first `{` after the signature's parentheses close (none when a line break at
    /// depth 0 meets a declaration or a `}` first: a protocol requirement), matched brace by brace.
    static func all(in text: String) -> [FunctionBody] {
        let s = BlankedSwift(text).chars
        var lineOf: [Int] = []
        var line = 1
        for c in s { lineOf.append(line); if c == "\n" { line += 1 } }
        var out: [FunctionBody] = []
        var i = 0
        while i < s.count {
            guard let (name, after) = keyword(s, at: i) else { i += 1; continue }
            if let open = bodyStart(s, from: after), let close = matchingBrace(s, open) {
                out.append(FunctionBody(name: name, line: lineOf[i], lines: lineOf[close] - lineOf[i] + 1))
            }
            i = after
        }
        return out
    }

    private static func isIdent(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// `func NAME` or `init` at `i` as a whole word (not after `.`): the name and where it ends.
    private static func keyword(_ s: [Character], at i: Int) -> (String, Int)? {
        if i > 0 && (isIdent(s[i - 1]) || s[i - 1] == "." || s[i - 1] == "`") { return nil }
        for word in ["func", "init"] {
            let w = Array(word)
            guard i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w else { continue }
            let end = i + w.count
            if end < s.count && isIdent(s[end]) { continue }
            if word == "init" { return ("init", end) }
            var k = end
            while k < s.count && s[k] == " " { k += 1 }
            var name = ""
            while k < s.count && !"(<".contains(s[k]) && !s[k].isWhitespace { name.append(s[k]); k += 1 }
            return (name, k)
        }
        return nil
    }

    private static func bodyStart(_ s: [Character], from start: Int) -> Int? {
        var depth = 0
        var k = start
        while k < s.count {
            let c = s[k]
            if "([<".contains(c) { depth += 1 } else if ")]>".contains(c) && !(c == ">" && k > 0 && s[k - 1] == "-") { depth = max(0, depth - 1) }
            else if c == "{" && depth == 0 { return k }
            else if c == "}" && depth == 0 { return nil }
            else if c == "\n" && depth == 0 {
                var j = k + 1
                while j < s.count && (s[j] == " " || s[j] == "\n") { j += 1 }
                let rest = String(s[j..<min(s.count, j + 12)])
                let continues = ["->", "throws", "rethrows", "async", "where", "{"].contains { rest.hasPrefix($0) }
                if !continues { return nil }
            }
            k += 1
        }
        return nil
    }

    private static func matchingBrace(_ s: [Character], _ open: Int) -> Int? {
        var depth = 0
        for k in open..<s.count {
            if s[k] == "{" { depth += 1 } else if s[k] == "}" { depth -= 1; if depth == 0 { return k } }
        }
        return nil
    }
}
