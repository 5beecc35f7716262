import Foundation
import Testing
import IntarsiaCore
import IntarsiaExplore

@Suite struct HypervolumeTests {
    /// Hand-worked: two points (1, 3) and (2, 1) against (4, 4) dominate the union of
    /// [1,4]×[3,4] (area 3) and [2,4]×[1,4] (area 6), which overlap on [2,4]×[3,4] (area 2): 7.
    @Test func twoDimensionsByHand() {
        #expect(Hypervolume.of([[1, 3], [2, 1]], reference: [4, 4]) == 7)
        // A point beyond the reference adds nothing; a dominated point adds nothing.
        #expect(Hypervolume.of([[1, 3], [2, 1], [5, 0], [3, 3]], reference: [4, 4]) == 7)
    }

    /// Random integer points in 3 and 4 objectives: the volume equals the count of unit cells of
    /// the grid that some point dominates (a brute force that is exact for integer coordinates).
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func equalsCountingGridCells(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for dims in [3, 4] {
            let side = 6
            let points = (0..<12).map { _ in (0..<dims).map { _ in Double(rng.below(side)) } }
            let reference = [Double](repeating: Double(side), count: dims)
            var cells = 0
            let total = Int(pow(Double(side), Double(dims)))
            for c in 0..<total {
                var rest = c
                let corner = (0..<dims).map { _ -> Double in let v = rest % side; rest /= side; return Double(v) }
                // The unit cell [corner, corner + 1) is dominated when some point is <= its corner.
                if points.contains(where: { p in zip(p, corner).allSatisfy { $0 <= $1 } }) { cells += 1 }
            }
            #expect(Hypervolume.of(points, reference: reference) == Double(cells), "dims \(dims)")
        }
    }
}
