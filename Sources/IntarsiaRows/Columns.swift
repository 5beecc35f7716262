import Foundation

/// One column of a result file: its name, what it holds (with its unit), and how a row fills it.
public struct Column<Row>: Sendable {
    public let name: String
    /// What the column holds and in which unit: the text of the file's documentation.
    public let meaning: String
    /// Appends the row's field, unquoted, to a byte buffer (UTF-8): how the CSV writer fills it.
    public let write: @Sendable (Row, inout [UInt8]) -> Void
    /// Whether the field never holds a comma, quote or line break (numbers, flags, fixed
    /// names), so that the CSV writer need not scan it for quoting (checked in debug builds).
    public let plain: Bool

    public init(_ name: String, _ meaning: String = "", value: @escaping @Sendable (Row) -> String) {
        self.name = name
        self.meaning = meaning
        plain = false
        write = { row, out in FieldBytes.appendText(value(row), to: &out) }
    }

    /// A column whose field is written straight as bytes (numbers by `FieldBytes`); its text is
    /// the same bytes. `plain`: the field never needs quotes (see `plain`).
    public init(_ name: String, _ meaning: String = "", plain: Bool = false, bytes: @escaping @Sendable (Row, inout [UInt8]) -> Void) {
        self.name = name
        self.meaning = meaning
        self.plain = plain
        write = bytes
    }

    /// The row's field as text.
    public func value(_ row: Row) -> String { Figures.text { write(row, &$0) } }
}

/// The ordered columns of one result file: the single description its header, its rows in
/// every format (CSV, text table, JSON objects) and its documentation are derived from.
public struct Columns<Row>: Sendable {
    public let list: [Column<Row>]
    /// The columns' writers with their `plain` flags, read by `appendCSVLine` without copying a
    /// `Column` (its name and meaning) per field. A struct, not an array of closures: a closure
    /// stored as an array element is called through a reabstraction thunk.
    @usableFromInline let writers: [Writer]

    @usableFromInline struct Writer: Sendable {
        @usableFromInline let write: @Sendable (Row, inout [UInt8]) -> Void
        @usableFromInline let plain: Bool
    }

    public init(_ list: [Column<Row>]) {
        self.list = list
        writers = list.map { Writer(write: $0.write, plain: $0.plain) }
    }

    public var header: [String] { list.map(\.name) }

    public func fields(_ row: Row) -> [String] { list.map { $0.value(row) } }

    /// One CSV line (RFC 4180 quoting) with its newline, appended as bytes: each field is written
    /// in place and quoted only if it needs it (`CSV.quoteInPlace`; a `plain` column's field is
    /// not scanned).
    /// Inlinable, so that a caller's module specializes it for its row type (generic, it cost a
    /// run-time type lookup per field).
    @inlinable public func appendCSVLine(_ row: Row, to out: inout [UInt8]) {
        writers.withUnsafeBufferPointer { writers in
            for k in 0..<writers.count {
                if k > 0 { out.append(0x2C) }
                let start = out.count
                writers[k].write(row, &out)
                if !writers[k].plain { CSV.quoteInPlace(&out, from: start) } else { assert(CSV.isPlain(out, from: start), "column \(list[k].name) is marked plain but its field needs quotes") }
            }
        }
        out.append(0x0A)
    }

    /// One CSV line (RFC 4180 quoting) with its newline.
    public func csvLine(_ row: Row) -> String { CSV.line(fields(row)) + "\n" }

    /// The whole CSV: the header, then one line per row.
    public func csv(_ rows: some Sequence<Row>) -> String {
        rows.reduce(CSV.line(header) + "\n") { $0 + csvLine($1) }
    }

    /// An aligned plain-text table for terminals (`TextTable`).
    public func table(_ rows: some Sequence<Row>) -> String { TextTable.render(header: header, rows: rows.map(fields)) }

    /// Each row as a JSON object of its fields keyed by column name, in an array (pretty,
    /// keys sorted).
    public func json(_ rows: some Sequence<Row>) throws -> String {
        try JSONText.pretty(rows.map { Dictionary(uniqueKeysWithValues: zip(header, fields($0))) })
    }

    /// The columns as a Markdown table (`| column | meaning |`), as the docs list them.
    public var markdown: String {
        list.reduce("| column | meaning |\n|---|---|\n") { $0 + "| `\($1.name)` | \($1.meaning) |\n" }
    }

    /// These columns followed by `more`.
    public func appending(_ more: [Column<Row>]) -> Columns<Row> { Columns(list + more) }
}

/// The one JSON writer of result files: pretty-printed, keys sorted, so that equal values give
/// equal bytes.
public enum JSONText {
    public static func pretty(_ value: some Encodable) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }
}
