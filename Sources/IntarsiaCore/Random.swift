/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): small, fast and the same on every
/// platform, so a seed gives the same search everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform integer in `0..<n` (n > 0), by Lemire's multiply-shift (no modulo bias at these sizes).
    public mutating func below(_ n: Int) -> Int {
        Int((UInt128(next()) * UInt128(n)) >> 64)
    }
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
