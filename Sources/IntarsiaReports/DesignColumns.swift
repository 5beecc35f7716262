import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaRows
import IntarsiaSearch

/// What one row of the design CSV is made from: a design with the platform and constraints it
/// was judged against (for its violation text).
public struct DesignRow: Sendable {
    public var design: EvaluatedDesign { didSet { knobBits = Self.knobBits(design.point.template) } }
    public var platform: FPGAPlatform
    public var constraints: Constraints
    /// The knobs of the design's template as bits (`Self.bit`), for its eleven knob columns.
    public private(set) var knobBits: UInt32

    /// `knobBits`: the template's knob bits when the caller has them (`KnobBitsCache`), so that
    /// the template's knob list is not read for every row.
    public init(_ design: EvaluatedDesign, _ platform: FPGAPlatform, _ constraints: Constraints, knobBits: UInt32? = nil) {
        self.design = design
        self.platform = platform
        self.constraints = constraints
        self.knobBits = knobBits ?? Self.knobBits(design.point.template)
    }

    /// A knob's bit: 1 << its position in `Knob.allCases`.
    public static func bit(_ k: Knob) -> UInt32 { 1 << UInt32(Knob.allCases.firstIndex(of: k)!) }

    /// The bits of the knobs template `t` reads.
    public static func knobBits(_ t: TemplateKind) -> UInt32 { Knob.knobs(of: t).reduce(0) { $0 | bit($1) } }
}

/// The knob bits of the templates a run of rows has met: a row's template is looked up among
/// the few seen (by identity) instead of its knob list being read per row.
struct KnobBitsCache {
    private var seen: [(template: TemplateKind, bits: UInt32)] = []

    mutating func bits(_ t: TemplateKind) -> UInt32 {
        for s in seen where s.template == t { return s.bits }
        let b = DesignRow.knobBits(t)
        seen.append((t, b))
        return b
    }
}

/// One column of the design CSV: its name, what it means, and how a design fills it.
/// docs/CSV.md documents the same list; `DesignColumns.all` is the single source of both.
public typealias DesignColumn = Column<DesignRow>

public enum DesignColumns {
    /// `x` rounded to `digits` significant digits (`Figures.significant`).
    public static func significant(_ x: Double, _ digits: Int) -> String { Figures.significant(x, digits) }

    /// Every streamed column (`DesignField.order`), each writing its field through its case.
    public static let all: [DesignColumn] = DesignField.order.map { f in
        let bit = f.knobBit
        return DesignColumn(f.name, f.meaning, plain: f.plain) { (r: DesignRow, out: inout [UInt8]) in f.write(r, r.design.evaluation, knobBit: bit, to: &out) }
    }

    /// The last column, filled once the search knows its front.
    /// Its value is the design's membership of the front.
    public static let paretoColumn = Column<Bool>("pareto", "true when the design is on the Pareto front of the spec's objectives (feasible designs only)",
                                                  value: Figures.flag)

    /// The columns written as the search goes (all but `pareto`).
    public static let streamed = Columns(all)

    public static var header: [String] { streamed.header + [paretoColumn.name] }

    public static func fields(_ d: EvaluatedDesign, _ p: FPGAPlatform, _ k: Constraints) -> [String] {
        streamed.fields(DesignRow(d, p, k))
    }

    /// docs/CSV.md's column table: every column with its meaning, `pareto` last.
    public static var markdown: String {
        streamed.markdown + "| `\(paretoColumn.name)` | \(paretoColumn.meaning) |\n"
    }
}
