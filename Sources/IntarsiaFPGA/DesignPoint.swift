import IntarsiaCore

/// How a unit gets its off-chip weights.
public enum WeightLoad: String, Hashable, Sendable, CaseIterable, Codable {
    /// Bursts into a ping-pong buffer while the previous column computes: bandwidth-bound only.
    case doubleBuffered = "double_buffered"
    /// A burst per weight column, then compute (load and compute do not overlap).
    case buffered
    /// One blocking read per word inside the loop, one request outstanding (latency-bound);
    /// how InTAR's published sequential baselines read.
    case blocking
}

/// When intermediates between stages go off chip.
public enum SpillPolicy: String, Hashable, Sendable, CaseIterable, Codable {
    /// Only what does not fit the scratchpad.
    case overflow
    /// Every intermediate that crosses a stage boundary (InTAR's published sequential baselines).
    case always
}

/// How a matrix-vector product (a MAC task with one output row) consumes its input vector.
public enum MatVecMode: String, Hashable, Sendable, CaseIterable, Codable {
    /// Dot products: the whole input first, then outputs one after another.
    case dot
    /// Outer-product accumulation: the input as it streams; outputs complete only at the end.
    case outer
    /// Outer product when the producer emits progressively in the same stage, else dot products
    /// (InTAR's MLP: layer 2 by dot products streaming into layer 3 by outer products).
    case auto
}

/// How a stage divides its lanes among its concurrent MAC tasks.
public enum LaneAllocation: String, Hashable, Sendable, CaseIterable, Codable {
    /// Lanes in proportion to each task's MACs (balanced pipeline).
    case proportional
    /// The same lanes for every task (how the published dataflow designs were built).
    case uniform
    /// Lanes per task chosen by the stage balancer: the slowest task as fast as the lane and
    /// memory budget allows (a multiple-choice integer program solved with GLPK). Dataflow only.
    case balanced

    /// The splits a stage of the reconfigurable template tries.
    public static let stageSplits: [LaneAllocation] = [.proportional, .uniform]
}

/// One point of a template's design space: every knob a template reads.
public struct DesignPoint: Hashable, Sendable {
    public var template: TemplateKind
    /// Total MAC lanes (multiply-accumulates per cycle) of the design.
    public var lanes: Int
    /// Dataflow: how lanes are split among tasks. Reconfigurable: tried both per stage.
    public var allocation: LaneAllocation
    /// Reconfigurable: compute units, the most MAC tasks one stage may run at once.
    public var computeUnits: Int
    /// Sequential and reconfigurable: on-chip scratchpad for intermediates between stages, KiB.
    public var scratchpadKiB: Int
    public var weightLoad: WeightLoad
    /// Whether a unit's loops are flattened into one pipeline (no drain per output row).
    public var flattenLoops: Bool
    /// Width of the off-chip data port of each unit (AXI data width), bits.
    public var wordBits: Int
    public var spill: SpillPolicy
    /// Whether each unit's loops are pipelined (II=1); when not, every iteration takes the
    /// loop body's whole latency.
    public var pipelined: Bool
    /// Elements a FIFO between two tasks carries per cycle; 0 means as many as the producer makes
    /// (vector FIFOs matched to the units), 1 a scalar FIFO.
    public var streamElements: Int
    public var matVec: MatVecMode
    /// Whether each word a stage writes off chip waits for its write response inside the
    /// compute loop (one request outstanding: `FPGAPlatform.writeResponseCycles` per word), as
    /// InTAR's CNN-4L sequential baseline writes. A built design's property, read from its HLS.
    public var writeWait: Bool

    public init(template: TemplateKind, lanes: Int, allocation: LaneAllocation = .proportional, computeUnits: Int = 1,
                scratchpadKiB: Int = 4096, weightLoad: WeightLoad = .doubleBuffered, flattenLoops: Bool = true,
                wordBits: Int = 512, spill: SpillPolicy = .overflow, pipelined: Bool = true, streamElements: Int = 0,
                matVec: MatVecMode = .auto, writeWait: Bool = false) {
        self.template = template
        self.lanes = lanes
        self.allocation = allocation
        self.computeUnits = computeUnits
        self.scratchpadKiB = scratchpadKiB
        self.weightLoad = weightLoad
        self.flattenLoops = flattenLoops
        self.wordBits = wordBits
        self.spill = spill
        self.pipelined = pipelined
        self.streamElements = streamElements
        self.matVec = matVec
        self.writeWait = writeWait
    }
}

/// The knobs by name, as specs, CSV columns and `--set` spell them.
public enum Knob: String, CaseIterable, Sendable {
    case lanes, allocation
    case computeUnits = "compute_units"
    case scratchpadKiB = "scratchpad_kib"
    case weightLoad = "weight_load"
    case flattenLoops = "flatten_loops"
    case wordBits = "word_bits"
    case spill
    case pipelined
    case streamElements = "stream_elements"
    case matVec = "matvec"
    case writeWait = "write_wait"

    /// Knobs each template reads; others are ignored by it (and rejected in its spec section).
    public static func knobs(of t: TemplateKind) -> [Knob] { t.knobs }

    /// Knobs that describe how a built design was written (read from its HLS), not a search
    /// axis: every template reads them, `intarsia evaluate --set` and `PublishedDesign` set them,
    /// and they are not CSV columns (a search keeps them at their defaults, which reproduce a
    /// well-built design).
    public static let asBuilt: [Knob] = [.writeWait]

    /// What values are accepted, for error messages.
    public var accepted: String {
        switch self {
        case .lanes: return "an integer from 1 to 1048576"
        case .allocation: return LaneAllocation.allCases.map(\.rawValue).joined(separator: ", ")
        case .computeUnits: return "an integer from 1 to 64"
        case .scratchpadKiB: return "an integer from 0 to 1048576"
        case .weightLoad: return WeightLoad.allCases.map(\.rawValue).joined(separator: ", ")
        case .flattenLoops, .pipelined, .writeWait: return "true or false"
        case .streamElements: return "an integer from 0 (matched to the producer) to 65536"
        case .wordBits: return "32, 64, 128, 256, 512 or 1024"
        case .spill: return SpillPolicy.allCases.map(\.rawValue).joined(separator: ", ")
        case .matVec: return MatVecMode.allCases.map(\.rawValue).joined(separator: ", ")
        }
    }

    /// Parses a knob's value from text; nil when it is not accepted.
    public func parse(_ text: String) -> KnobValue? {
        let s = text.trimmingCharacters(in: .whitespaces)
        switch self {
        case .lanes: return Int(s).flatMap { (1...1_048_576).contains($0) ? .int($0) : nil }
        case .computeUnits: return Int(s).flatMap { (1...64).contains($0) ? .int($0) : nil }
        case .scratchpadKiB: return Int(s).flatMap { (0...1_048_576).contains($0) ? .int($0) : nil }
        case .wordBits: return Int(s).flatMap { [32, 64, 128, 256, 512, 1024].contains($0) ? .int($0) : nil }
        case .allocation: return LaneAllocation(rawValue: s).map { _ in .text(s) }
        case .weightLoad: return WeightLoad(rawValue: s).map { _ in .text(s) }
        case .spill: return SpillPolicy(rawValue: s).map { _ in .text(s) }
        case .matVec: return MatVecMode(rawValue: s).map { _ in .text(s) }
        case .streamElements: return Int(s).flatMap { (0...65536).contains($0) ? .int($0) : nil }
        case .flattenLoops, .pipelined, .writeWait:
            switch s.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: return nil
            }
        }
    }
}

/// A knob's value.
public enum KnobValue: Hashable, Sendable, CustomStringConvertible {
    case int(Int), text(String), bool(Bool)
    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// A knob's value in the point's own field type: parsed once from a `KnobValue`, so that a search
/// setting the same values on millions of points does not parse their text each time.
public enum KnobSetting: Hashable, Sendable {
    case lanes(Int), computeUnits(Int), scratchpadKiB(Int), wordBits(Int), streamElements(Int)
    case allocation(LaneAllocation), weightLoad(WeightLoad), spill(SpillPolicy), matVec(MatVecMode)
    case flattenLoops(Bool), pipelined(Bool), writeWait(Bool)
    /// A value of the wrong kind for its knob (not one `Knob.parse` gives): leaves the point as it is.
    case unchanged

    public init(_ knob: Knob, _ value: KnobValue) {
        switch (knob, value) {
        case (.lanes, .int(let v)): self = .lanes(v)
        case (.computeUnits, .int(let v)): self = .computeUnits(v)
        case (.scratchpadKiB, .int(let v)): self = .scratchpadKiB(v)
        case (.wordBits, .int(let v)): self = .wordBits(v)
        case (.streamElements, .int(let v)): self = .streamElements(v)
        case (.allocation, .text(let s)): self = LaneAllocation(rawValue: s).map { .allocation($0) } ?? .unchanged
        case (.weightLoad, .text(let s)): self = WeightLoad(rawValue: s).map { .weightLoad($0) } ?? .unchanged
        case (.spill, .text(let s)): self = SpillPolicy(rawValue: s).map { .spill($0) } ?? .unchanged
        case (.matVec, .text(let s)): self = MatVecMode(rawValue: s).map { .matVec($0) } ?? .unchanged
        case (.flattenLoops, .bool(let b)): self = .flattenLoops(b)
        case (.pipelined, .bool(let b)): self = .pipelined(b)
        case (.writeWait, .bool(let b)): self = .writeWait(b)
        default: self = .unchanged
        }
    }
}

extension DesignPoint {
    /// Sets one knob (the value must have come from `Knob.parse`).
    public mutating func set(_ knob: Knob, _ value: KnobValue) { apply(KnobSetting(knob, value)) }

    /// Sets the knob a parsed setting names.
    @inlinable public mutating func apply(_ setting: KnobSetting) {
        switch setting {
        case .lanes(let v): lanes = v
        case .computeUnits(let v): computeUnits = v
        case .scratchpadKiB(let v): scratchpadKiB = v
        case .wordBits(let v): wordBits = v
        case .streamElements(let v): streamElements = v
        case .allocation(let v): allocation = v
        case .weightLoad(let v): weightLoad = v
        case .spill(let v): spill = v
        case .matVec(let v): matVec = v
        case .flattenLoops(let b): flattenLoops = b
        case .pipelined(let b): pipelined = b
        case .writeWait(let b): writeWait = b
        case .unchanged: break
        }
    }

    public func value(of knob: Knob) -> KnobValue {
        switch knob {
        case .lanes: return .int(lanes)
        case .computeUnits: return .int(computeUnits)
        case .scratchpadKiB: return .int(scratchpadKiB)
        case .wordBits: return .int(wordBits)
        case .allocation: return .text(allocation.rawValue)
        case .weightLoad: return .text(weightLoad.rawValue)
        case .spill: return .text(spill.rawValue)
        case .matVec: return .text(matVec.rawValue)
        case .flattenLoops: return .bool(flattenLoops)
        case .pipelined: return .bool(pipelined)
        case .streamElements: return .int(streamElements)
        case .writeWait: return .bool(writeWait)
        }
    }
}

import Foundation
