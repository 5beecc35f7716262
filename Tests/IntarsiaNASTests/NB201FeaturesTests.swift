import Foundation
import Testing
@testable import IntarsiaNAS

/// Which operators a cell runs under each treatment of dead operations, and the predictor's
/// features, on cells worked out by hand.
@Suite struct NB201FeaturesTests {
    /// Edges (0→1, 0→2, 1→2, 0→3, 1→3, 2→3) = (none, 3×3, 1×1, skip, pool, none): node 1 receives
    /// nothing, node 2 reaches nothing. execute runs every edge that is not none; prune only 0→3
    /// (0→2 and 1→2 end at node 2, which reaches nothing; 1→3 starts at node 1, which receives
    /// nothing); reach runs 0→3 and 1→3 (its destination is the output, though its source is dead).
    static let mixed = NB201Cell("|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|avg_pool_3x3~1|none~2|")!

    @Test func treatmentsOnAHandWorkedCell() {
        #expect(NB201Features.runs(Self.mixed, .execute) == [false, true, true, true, true, false])
        #expect(NB201Features.runs(Self.mixed, .prune) == [false, false, false, true, false, false])
        #expect(NB201Features.runs(Self.mixed, .reach) == [false, false, false, true, true, false])
        #expect(NB201Features.reachesOutput(Self.mixed) == [true, true, false, true])
        // Every edge live: the three treatments agree.
        let full = NB201Cell("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|")!
        for t in NB201Features.Treatment.allCases { #expect(NB201Features.runs(full, t) == [Bool](repeating: true, count: 6)) }
        // Pool 1→3 under reach: position 4, kind 3 (avg pool) → count feature 19; skip 0→3 → 12.
        let ops = NB201Features.operators(Self.mixed, .reach)
        #expect(ops.indices.filter { ops[$0] == 1 } == [12, 19])
    }

    @Test func predictorFeaturesOnAHandWorkedCell() {
        let f = NB201PredictorFeatures.features(Self.mixed)
        #expect(f.count == 115 && NB201PredictorFeatures.count == 115)
        // After the 83 of version 1: 24 reach counts (ones at 12 and 19), connected (0→3 is a
        // skip: 1), dead by kind (skip 0; 1×1: 1→2; 3×3: 0→2; pool: 1→3), in-degrees 0, 2, 2.
        #expect(Array(f[83..<107]).indices.filter { f[83 + $0] == 1 } == [12, 19])
        #expect(Array(f[107...]) == [1, 0, 1, 1, 1, 0, 2, 2])
        // Depth: the only path 0→3 is a skip (0 computing edges). MACs executed: a 3×3 and a 1×1
        // on every cell, 5 × (9 + 1) × c² × s² over (16, 32), (32, 16), (64, 8) = 50 × 3 × 262,144.
        #expect(f[82] == 0)
        #expect(f[78] == Float(50 * 3 * 262_144) && f[80] == 0)
        // A cell whose input reaches nothing (0→1 and 0→2 3×3, nothing else): not connected.
        let cut = NB201Cell("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|none~2|")!
        let g = NB201PredictorFeatures.features(cut)
        // Its two 3×3 convolutions run under execute only (dead: 3×3 twice); in-degrees 1, 1, 0.
        #expect(g[82] == 0 && g[107] == 0)
        #expect(Array(g[108...]) == [0, 0, 2, 0, 1, 1, 0])
    }
}
