import Foundation
import Testing
@testable import IntarsiaFPGA

@Suite struct MACCycleModelTests {
    /// The bit-count ceiling of log2 equals `log2(x).rounded(.up)` (what macCycles used) on
    /// every whole lane count to 2^18, around powers of two to 2^32, and on fractions.
    @Test func ceilLog2EqualsLog2RoundedUp() {
        var xs = (1...(1 << 18)).map(Double.init)
        for k in 18...33 { let p = Double(1 << k); xs += [p - 1, p, p + 1] }
        xs += [0.5, 1.5, 2.25, 3.999, 1e6 + 0.5, 5e9]
        for x in xs { #expect(MACCycleModel.ceilLog2(x) == log2(x).rounded(.up), "x = \(x)") }
    }
}
