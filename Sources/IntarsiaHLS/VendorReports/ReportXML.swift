import Foundation

/// A strict reader for the XML subset Vitis HLS writes in its `csynth.xml` reports: elements,
/// attributes (read, kept), character data with the five predefined entities and numeric
/// character references, comments, the `<?xml ...?>` declaration and `<!DOCTYPE ...>` (skipped).
/// No namespaces, CDATA or DTD entities: a report using them is refused, as is anything
/// malformed (an unclosed or mismatched tag, text outside the root, a second root), with the
/// line where it happens. Written here rather than using FoundationXML so that the driver needs
/// no libxml2 at run time.
public struct ReportXML: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String] = [:]
    public var children: [ReportXML] = []
    /// The element's own character data, trimmed of surrounding white space.
    public var text = ""

    public init(name: String) { self.name = name }

    /// The first child named `name`.
    public func child(_ name: String) -> ReportXML? { children.first { $0.name == name } }

    /// The element at a path of child names below this one (`["AreaEstimates", "Resources"]`).
    public func at(_ path: [String]) -> ReportXML? {
        var e = self
        for p in path {
            guard let c = e.child(p) else { return nil }
            e = c
        }
        return e
    }

    public struct Malformed: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var reason: String
        public var description: String { "malformed XML at line \(line): \(reason)" }
    }

    /// Parses a whole document: exactly one root element.
    public static func parse(_ text: String) throws -> ReportXML {
        var p = Parser(bytes: Array(text.utf8))
        return try p.document()
    }
}

private struct Parser {
    let bytes: [UInt8]
    var i = 0
    var line = 1
    /// Elements open at the current position. Elements are read recursively, so the nesting is
    /// bounded: the csynth.xml files in Tests/IntarsiaHLSCheckTests/Fixtures nest four deep; a
    /// file nested deeper than `maxDepth` is refused as malformed rather than overflowing the stack.
    var depth = 0
    static let maxDepth = 256

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ reason: String) -> ReportXML.Malformed { ReportXML.Malformed(line: line, reason: reason) }

    var atEnd: Bool { i >= bytes.count }

    func starts(with s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= bytes.count && Array(bytes[i..<(i + u.count)]) == u
    }

    mutating func advance(_ n: Int = 1) {
        for _ in 0..<n where i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") { line += 1 }
            i += 1
        }
    }

    /// Skips up to and including `end`; fails naming `what` when the input ends first.
    mutating func skip(past end: String, what: String) throws {
        while !atEnd && !starts(with: end) { advance() }
        guard !atEnd else { throw fail("unterminated \(what)") }
        advance(end.utf8.count)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    mutating func skipSpace() { while !atEnd && Self.isSpace(bytes[i]) { advance() } }

    /// Skips white space, comments, processing instructions and a DOCTYPE between elements.
    mutating func skipMisc() throws {
        while true {
            skipSpace()
            if starts(with: "<!--") { try skip(past: "-->", what: "comment") }
            else if starts(with: "<?") { try skip(past: "?>", what: "processing instruction") }
            else if starts(with: "<!DOCTYPE") { try skip(past: ">", what: "DOCTYPE") }
            else { return }
        }
    }

    mutating func document() throws -> ReportXML {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        try skipMisc()
        guard !atEnd else { throw fail("no root element (empty document)") }
        guard bytes[i] == UInt8(ascii: "<") else { throw fail("text before the root element") }
        let root = try element()
        try skipMisc()
        guard atEnd else { throw fail(bytes[i] == UInt8(ascii: "<") ? "a second root element" : "text after the root element") }
        return root
    }

    mutating func name() throws -> String {
        let start = i
        while !atEnd {
            let b = bytes[i]
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x2E || b >= 0x80
            if !ok { break }
            advance()
        }
        guard i > start else { throw fail(atEnd ? "unexpected end of input in a tag" : "a name was expected in a tag, found '\(Character(UnicodeScalar(bytes[i])))'") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func element() throws -> ReportXML {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("elements nested deeper than \(Self.maxDepth) (a Vitis HLS report nests a few levels)") }
        advance()  // <
        var e = ReportXML(name: try name())
        while true {
            skipSpace()
            guard !atEnd else { throw fail("unterminated tag <\(e.name)>") }
            if starts(with: "/>") { advance(2); return e }
            if bytes[i] == UInt8(ascii: ">") { advance(); break }
            let key = try name()
            skipSpace()
            guard !atEnd, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute \(key) of <\(e.name)> has no value") }
            advance()
            skipSpace()
            guard !atEnd, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { throw fail("attribute \(key) of <\(e.name)>: a quoted value was expected") }
            let quote = bytes[i]
            advance()
            let start = i
            while !atEnd && bytes[i] != quote && bytes[i] != UInt8(ascii: "<") { advance() }
            guard !atEnd, bytes[i] == quote else { throw fail("attribute \(key) of <\(e.name)>: unterminated value") }
            e.attributes[key] = try Self.unescape(String(decoding: bytes[start..<i], as: UTF8.self), line: line)
            advance()
        }
        try content(of: &e)
        return e
    }

    /// Children and text up to the element's end tag.
    mutating func content(of e: inout ReportXML) throws {
        var text = ""
        while true {
            guard !atEnd else { throw fail("<\(e.name)> is never closed") }
            if starts(with: "</") {
                advance(2)
                let closing = try name()
                guard closing == e.name else { throw fail("</\(closing)> closes <\(e.name)>") }
                skipSpace()
                guard !atEnd, bytes[i] == UInt8(ascii: ">") else { throw fail("unterminated end tag </\(closing)>") }
                advance()
                e.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return
            }
            if starts(with: "<!--") { try skip(past: "-->", what: "comment"); continue }
            if starts(with: "<![CDATA[") { throw fail("CDATA sections are not part of the csynth.xml subset") }
            if starts(with: "<?") { try skip(past: "?>", what: "processing instruction"); continue }
            if bytes[i] == UInt8(ascii: "<") { e.children.append(try element()); continue }
            let start = i
            while !atEnd && bytes[i] != UInt8(ascii: "<") { advance() }
            text += try Self.unescape(String(decoding: bytes[start..<i], as: UTF8.self), line: line)
        }
    }

    static func unescape(_ s: String, line: Int) throws -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { throw ReportXML.Malformed(line: line, reason: "an '&' that starts no entity") }
            let entity = String(rest[rest.index(after: amp)..<semi])
            switch entity {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let hex = entity.hasPrefix("#x"), dec = entity.hasPrefix("#")
                guard dec, let v = UInt32(entity.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10), let u = UnicodeScalar(v) else {
                    throw ReportXML.Malformed(line: line, reason: "unknown entity &\(entity);")
                }
                out.unicodeScalars.append(u)
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
