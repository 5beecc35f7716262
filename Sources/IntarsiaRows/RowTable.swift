import Foundation

/// A result file read back that is wrong: the message names the file, what is wrong (a missing
/// column, a bad line) and what is accepted.
public struct RowReadError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A table whose rows' fields are found by column name, never by position.
public protocol ColumnLookup {
    var header: [String] { get }
}

extension ColumnLookup {
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The row's field in column `name` ("" when the table has no such column).
    public func value(_ row: [String], _ name: String) -> String { column(name).map { row[$0] } ?? "" }

    /// The row's field in column `name` as a number (NaN when it is none).
    public func number(_ row: [String], _ name: String) -> Double { Double(value(row, name)) ?? .nan }
}

/// A CSV read back by column name: its header, checked for required columns, and its rows.
/// Nothing is read by position: `value(row, name)` and `Record` look columns up by name.
public struct RowTable: Sendable, ColumnLookup {
    public var file: String
    public var header: [String]
    public var rows: [[String]]

    public init(file: String, header: [String], rows: [[String]]) {
        self.file = file
        self.header = header
        self.rows = rows
    }

    /// Checks a header: every `required` column present, no column twice. `accepted` says what
    /// file is accepted (e.g. "a CSV written by 'intarsia search'").
    public static func checkHeader(_ header: [String], file: String, required: [String], accepted: String) throws {
        for c in required where !header.contains(c) {
            throw RowReadError("\(file): column '\(c)' missing from the header; accepted: \(accepted) (columns \(required.joined(separator: ", ")))")
        }
        var seen = Set<String>()
        for c in header where !seen.insert(c).inserted { throw RowReadError("\(file): column '\(c)' appears twice in the header; accepted: \(accepted)") }
    }

    /// Parses CSV text whose first line is the header; every row must have as many fields as
    /// the header. `file` names the text in errors.
    public init(text: String, file: String, required: [String], accepted: String) throws {
        var lines = CSV.parse(text)[...]
        guard let first = lines.popFirst() else { throw RowReadError("\(file): empty file; accepted: \(accepted)") }
        try Self.checkHeader(first, file: file, required: required, accepted: accepted)
        for (k, r) in lines.enumerated() where r.count != first.count {
            throw RowReadError("\(file) line \(k + 2): \(r.count) fields, but the header has \(first.count); accepted: \(accepted)")
        }
        self.init(file: file, header: first, rows: Array(lines))
    }

    /// Reads a CSV file (UTF-8, complete: its last line ends with a newline).
    public static func read(_ path: String, required: [String], accepted: String) throws -> RowTable {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RowReadError("\(path): no such file, not readable or not UTF-8 text; accepted: \(accepted)")
        }
        guard text.isEmpty || text.hasSuffix("\n") else {
            throw RowReadError("\(path): the last row has no final newline: the file was cut; accepted: \(accepted)")
        }
        return try RowTable(text: text, file: path, required: required, accepted: accepted)
    }

    /// The table written back: the header, then one line per row.
    public var csv: String { rows.reduce(CSV.line(header) + "\n") { $0 + CSV.line($1) + "\n" } }

    /// The rows with their header, for access by column name.
    public var records: [Record] {
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return rows.map { Record(index: index, fields: $0) }
    }

    /// One row, its fields found by column name.
    public struct Record: Sendable {
        let index: [String: Int]
        public let fields: [String]
        /// The field in column `name` ("" when there is no such column).
        public subscript(_ name: String) -> String { index[name].map { fields[$0] } ?? "" }
    }
}
