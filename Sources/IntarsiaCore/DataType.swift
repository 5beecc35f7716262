/// Numeric formats a task may compute in.
public enum DataType: Hashable, Sendable, CustomStringConvertible {
    case int4, int8, int16, fp16, bf16, fp32
    /// Fixed point with `totalBits` bits, `fractionBits` of them after the point (ap_fixed<W,I> style).
    case fixed(totalBits: Int, fractionBits: Int)

    public var bits: Int {
        switch self {
        case .int4: return 4
        case .int8: return 8
        case .int16, .fp16, .bf16: return 16
        case .fp32: return 32
        case .fixed(let total, _): return total
        }
    }

    /// Bytes per element, rounded to a whole byte (int4 is packed two per byte, so 0.5).
    public var bytes: Double { Double(bits) / 8 }

    public var description: String {
        switch self {
        case .int4: return "int4"
        case .int8: return "int8"
        case .int16: return "int16"
        case .fp16: return "fp16"
        case .bf16: return "bf16"
        case .fp32: return "fp32"
        case .fixed(let t, let f): return "fixed<\(t),\(f)>"
        }
    }

    public static let acceptedNames = "int4, int8, int16, fp16, bf16, fp32, fixed<W,F> (1 <= F < W <= 32)"

    /// Parses `int8`, `fp32`, `fixed<16,8>`, ...; nil when the name is not one of `acceptedNames`.
    public init?(name: String) {
        let s = name.trimmingCharacters(in: .whitespaces).lowercased()
        switch s {
        case "int4": self = .int4
        case "int8": self = .int8
        case "int16": self = .int16
        case "fp16": self = .fp16
        case "bf16": self = .bf16
        case "fp32": self = .fp32
        default:
            guard s.hasPrefix("fixed<"), s.hasSuffix(">") else { return nil }
            let inner = s.dropFirst(6).dropLast()
            let parts = inner.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let t = parts[0], let f = parts[1], t >= 2, t <= 32, f >= 1, f < t else { return nil }
            self = .fixed(totalBits: t, fractionBits: f)
        }
    }

    /// Whether the format is a floating-point one (DSP cost differs from integers).
    public var isFloat: Bool {
        switch self {
        case .fp16, .bf16, .fp32: return true
        default: return false
        }
    }
}

import Foundation
