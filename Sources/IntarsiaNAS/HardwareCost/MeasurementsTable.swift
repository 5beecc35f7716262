import Foundation
import IntarsiaRows

/// A CSV of measured figures per architecture: a key column `architecture` (or `arch`, as
/// NATS-Bench-MCU names it) holding the architecture text as the space writes it, and figure
/// columns recognised by name and unit (`MeasuredFigureColumn`); other columns are ignored. What
/// `hardware_cost: {table: CSV}`, `intarsia nas fit-operators` and `intarsia nas
/// train-predictor` read.
public struct MeasurementsTable: Sendable {
    public var file: String
    /// The architecture texts, in file order.
    public var architectures: [String]
    /// Per recognised column (by its name in the file): its figure, the factor to the internal
    /// unit, and the values in file order.
    public var columns: [(name: String, figure: MeasuredFigureColumn, values: [Double])]

    static let accepted = "a CSV with a column 'architecture' (or 'arch') and figure columns (\(MeasuredFigureColumn.accepted))"

    public static func read(_ path: String) throws -> MeasurementsTable {
        try parse(try HardwareCostError.text(path, accepted: accepted), file: path)
    }

    /// A list of architectures (a column `architecture` or `arch`; other columns ignored), as a
    /// table without figures.
    public static func readArchitectures(_ path: String) throws -> MeasurementsTable {
        try parse(try HardwareCostError.text(path, accepted: "a CSV with a column 'architecture' (or 'arch')"), file: path, figures: false)
    }

    public static func parse(_ text: String, file: String, figures: Bool = true) throws -> MeasurementsTable {
        let lines = CSV.parse(text).filter { !($0.count == 1 && $0[0].isEmpty) && !($0.first?.hasPrefix("#") ?? false) }
        guard let header = lines.first else { throw HardwareCostError("\(file): empty file; accepted: \(accepted)") }
        guard let key = header.firstIndex(of: "architecture") ?? header.firstIndex(of: "arch") else {
            throw HardwareCostError("\(file): the header has no column 'architecture' (or 'arch'); accepted: \(accepted)")
        }
        let recognised = header.indices.compactMap { i in MeasuredFigureColumn.recognise(header[i]).map { (i, $0.figure, $0.scale) } }
        guard !recognised.isEmpty || !figures else {
            throw HardwareCostError("\(file): no figure column among \(header.joined(separator: ", ")); accepted: \(accepted)")
        }
        for f in MeasuredFigureColumn.allCases where recognised.filter({ $0.1 == f }).count > 1 {
            throw HardwareCostError("\(file): two columns hold \(f.rawValue) (\(recognised.filter { $0.1 == f }.map { header[$0.0] }.joined(separator: ", "))); accepted: one column per figure")
        }
        var archs: [String] = []
        var values = [[Double]](repeating: [], count: recognised.count)
        for (n, row) in lines.dropFirst().enumerated() {
            guard row.count == header.count else {
                throw HardwareCostError("\(file) line \(n + 2): \(row.count) fields, but the header has \(header.count); accepted: \(accepted)")
            }
            archs.append(row[key])
            for (k, c) in recognised.enumerated() {
                guard let v = Double(row[c.0]), v.isFinite, v >= 0 else {
                    throw HardwareCostError("\(file) line \(n + 2), column \(header[c.0]): '\(row[c.0])' is not a measured figure; accepted: a finite number >= 0")
                }
                values[k].append(v * c.2)
            }
        }
        return MeasurementsTable(file: file, architectures: archs, columns: recognised.enumerated().map { (header[$1.0], $1.1, values[$0]) })
    }

    /// The values of one figure (internal unit), nil when the file has no such column.
    public func values(_ f: MeasuredFigureColumn) -> [Double]? { columns.first { $0.figure == f }?.values }

    /// What to do with architectures of the space the table has no row for.
    public enum Missing: String, Sendable, CaseIterable {
        /// Refuse the table, naming the first missing architecture.
        case error
        /// Record each as a failed evaluation ("not measured in FILE").
        case failed
    }

    /// The figures by architecture number of `space`. Every row must name an architecture of the
    /// space, once; architectures without a row are an error or failed evaluations (`missing`).
    public func figures(space: any ArchitectureSpace, missing: Missing) throws -> MeasuredFigures {
        guard let latency = values(.latency) else {
            throw HardwareCostError("\(file): no latency column; accepted: \(Self.accepted), with a latency column")
        }
        var index: [String: Int] = [:]
        for i in 0..<space.count { index[space.architectureString(i)] = i }
        var row = [Int](repeating: -1, count: space.count)
        for (n, a) in architectures.enumerated() {
            guard let i = index[a] else {
                throw HardwareCostError("\(file) line \(n + 2): '\(a.prefix(120))' is not an architecture of the space \(space.name); accepted: architecture text as the space writes it, e.g. \(space.architectureString(0))")
            }
            guard row[i] < 0 else { throw HardwareCostError("\(file) line \(n + 2): architecture '\(a.prefix(120))' measured twice (first on line \(row[i] + 2)); accepted: one row per architecture") }
            row[i] = n
        }
        var failed: [Int: String] = [:]
        if let first = row.firstIndex(of: -1) {
            let count = row.filter { $0 < 0 }.count
            guard missing == .failed else {
                throw HardwareCostError("\(file): \(count) of the space's \(space.count) architectures have no row, the first \(space.architectureString(first)); accepted: a row for every architecture of the space, or missing: failed to record them as failed evaluations")
            }
            for (i, r) in row.enumerated() where r < 0 { failed[i] = "not measured in \(file)" }
        }
        func spread(_ v: [Double]) -> [Double] { row.map { $0 < 0 ? .nan : v[$0] } }
        let ms = spread(latency)
        var energy = values(.energy).map(spread)
        if energy == nil, let p = values(.power).map(spread) { energy = zip(p, ms).map { $0 * $1 } }  // W × ms = mJ
        return MeasuredFigures(kind: .table, source: file, latencyMs: ms, energyMJ: energy, memoryKB: values(.memory).map(spread), failed: failed)
    }
}
