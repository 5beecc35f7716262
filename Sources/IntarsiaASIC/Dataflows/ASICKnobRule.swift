/// The keys of an ASIC spec's sub-accelerator entry besides `dataflow`: the knobs a dataflow
/// template declares (`ASICDataflowTemplate.knobs`) with the values it accepts.
public enum ASICKnob: String, CaseIterable, Sendable {
    case rows, columns
    case bufferKiB = "buffer_kib"
    case bandwidthBytesPerCycle = "bandwidth_bytes_per_cycle"
    case memory
    case nocElementsPerCycle = "noc_elements_per_cycle"
    case nocInputElementsPerCycle = "noc_input_elements_per_cycle"
    case nocWeightElementsPerCycle = "noc_weight_elements_per_cycle"
    case nocOutputElementsPerCycle = "noc_output_elements_per_cycle"
    case l1Bytes = "l1_bytes"
    case vectorLanes = "vector_lanes"
    case scaleSimBandwidth = "scalesim_bandwidth"

    /// The values every built-in dataflow accepts (the spec reader's limits before the
    /// descriptors: sizes a 2^20-scale design space and the model's integer arithmetic hold).
    public var standardValues: ASICKnobValues {
        switch self {
        case .rows, .columns: return .integers(1...4096)
        case .bufferKiB: return .numbers(above: 0, upTo: 1_048_576)
        case .bandwidthBytesPerCycle: return .numbers(above: 0, upTo: 1e6)
        case .memory: return .names([ASICMemory.doubleBuffered, .preloadInputs].map(\.rawValue))
        case .nocElementsPerCycle, .nocInputElementsPerCycle, .nocWeightElementsPerCycle, .nocOutputElementsPerCycle:
            return .numbers(above: 0, upTo: 1e9)
        case .l1Bytes: return .numbers(above: 0, upTo: 1_073_741_824)
        case .vectorLanes: return .integers(0...(1 << 20))
        case .scaleSimBandwidth: return .names(ScaleSimBandwidth.allCases.map(\.rawValue))
        }
    }
}

/// The values a dataflow accepts for one knob.
public enum ASICKnobValues: Hashable, Sendable, CustomStringConvertible {
    case integers(ClosedRange<Int>)
    /// A number above `above` and at most `upTo`.
    case numbers(above: Double, upTo: Double)
    case names([String])

    public func accepts(_ x: Double) -> Bool {
        switch self {
        case .integers(let r): return x == x.rounded() && x >= Double(r.lowerBound) && x <= Double(r.upperBound)
        case .numbers(let lo, let hi): return x > lo && x <= hi
        case .names: return false
        }
    }

    public func accepts(_ name: String) -> Bool {
        if case .names(let ns) = self { return ns.contains(name) }
        return false
    }

    public var description: String {
        switch self {
        case .integers(let r): return "an integer from \(r.lowerBound) to \(r.upperBound)"
        case .numbers(let lo, let hi): return "a number above \(ASICNumberText.text(lo)) and at most \(ASICNumberText.text(hi))"
        case .names(let ns): return ns.joined(separator: ", ")
        }
    }
}

/// A knob a dataflow reads and the values it accepts.
public struct ASICKnobRule: Hashable, Sendable {
    public let knob: ASICKnob
    public let values: ASICKnobValues
    public init(_ knob: ASICKnob, _ values: ASICKnobValues) {
        self.knob = knob
        self.values = values
    }
    /// The knob with the values every built-in dataflow accepts.
    public static func standard(_ knob: ASICKnob) -> ASICKnobRule { ASICKnobRule(knob, knob.standardValues) }

    /// Every knob at its standard values: the built-in arrays that are not systolic.
    public static let standardSet: [ASICKnobRule] = ASICKnob.allCases.filter { $0 != .scaleSimBandwidth }.map(standard)
    /// The systolic arrays' knobs: the standard ones, SCALE-Sim's memory system and its bandwidth mode.
    public static let systolicSet: [ASICKnobRule] = ASICKnob.allCases.map {
        $0 == .memory ? ASICKnobRule(.memory, .names(ASICMemory.allCases.map(\.rawValue))) : standard($0)
    }
}

/// Numbers as a spec would write them (integers without a fraction).
public enum ASICNumberText {
    public static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
