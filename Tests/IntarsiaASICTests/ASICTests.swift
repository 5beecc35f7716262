import Testing
import IntarsiaCore
import IntarsiaMapping
@testable import IntarsiaASIC

@Suite struct SystolicTests {
    /// SCALE-Sim v3's figures for ResNet-18 conv2_1 (K = C = 64, 3×3, 56×56 outputs from a
    /// 58×58 padded input) on a 32×32 array, as recorded in peers.md.
    @Test func resnetConv2_1MatchesScaleSim() {
        let l = ConvLayer(name: "conv2_1", paddedInH: 58, paddedInW: 58, kernelH: 3, kernelW: 3, channels: 64, filters: 64, stride: 1)
        #expect(l.outH == 56 && l.outW == 56)
        func cycles(_ d: ASICDataflow) -> Double { ASICModel.computeCycles(l, on: ASICAccelerator(dataflow: d, rows: 32, columns: 32)).cycles }
        #expect(cycles(.systolicWS) == 116_279)
        #expect(cycles(.systolicOS) == 125_047)
        #expect(cycles(.systolicIS) == 278_711)
    }

    @Test func everyDataflowKeepsItsPEsAtMostFullyBusy() {
        let t = ASICTechnology.nm45
        for l in ASICNetworks.resnet18() + ASICNetworks.vgg16() {
            for d in ASICDataflow.allCases {
                let a = ASICAccelerator(dataflow: d, rows: 32, columns: 32)
                let c = ASICModel.cost(l, on: a, technology: t)
                #expect(c.utilization > 0 && c.utilization <= 1 + 1e-9, "\(l.name) \(d): \(c.utilization)")
                #expect(c.computeCycles >= Double(l.macs) / 1024)
                #expect(c.energyPicojoules > Double(l.macs) * t.macPicojoulesInt8 * 0.999)
                #expect(c.dramBytes >= l.weightBytes + l.outputBytes)
            }
        }
    }

    @Test func networkShapesAreTheKnownOnes() {
        #expect(ASICNetworks.resnet18().reduce(0) { $0 + $1.macs } == 1_814_073_344)
        // VGG-16: 15.35 G MACs in the convolutions, 0.12 G in the classifier (the usual 15.5 G).
        #expect(ASICNetworks.vgg16().reduce(0) { $0 + $1.macs } == 15_346_630_656 + 123_633_664)
    }

    @Test func technologyFiguresFollowTheirSources() {
        let t = ASICTechnology.nm45
        #expect(abs(t.macPicojoulesInt8 - 0.23) < 1e-12)           // Horowitz: 8-bit mult 0.2 + add 0.03
        #expect(abs(t.sramPicojoulesPerByte(kib: 8) - 1.25) < 0.01)  // 10 pJ per 64-bit read of 8 KB
        #expect(abs(t.sramPicojoulesPerByte(kib: 32) - 2.5) < 0.01)  // 20 pJ per 64-bit read of 32 KB
        #expect(ASICTechnology.nm28.macPicojoulesInt16 < t.macPicojoulesInt16)
    }
}

@Suite struct HeterogeneousTests {
    @Test func mappingAndSplitAreOptimal() throws {
        let t = ASICTechnology.nm45
        let sizes = [8, 16, 32]
        let h = HeterogeneousASIC(
            candidates: [sizes.map { ASICAccelerator(dataflow: .systolicWS, rows: $0, columns: $0, dramBytesPerCycle: Double($0)) },
                         sizes.map { ASICAccelerator(dataflow: .shidiannao, rows: $0, columns: $0, dramBytesPerCycle: Double($0)) }],
            technology: t, peBudget: 32 * 32 + 16 * 16, bandwidthBudgetBytesPerCycle: 48)
        let resnet = Array(ASICNetworks.resnet18().prefix(6)), vgg = Array(ASICNetworks.vgg16().suffix(5))
        let networks: [(name: String, layers: [ConvLayer])] = [("resnet", resnet), ("vgg", vgg), ("tail", Array(ASICNetworks.resnet18().suffix(4)))]
        let r = try h.map(networks)
        #expect(r.method == "milp")
        // Brute force over every split and assignment.
        var best = Double.infinity
        for a in sizes.indices { for b in sizes.indices {
            let accs = [h.candidates[0][a], h.candidates[1][b]]
            guard accs.reduce(0, { $0 + $1.processingElements }) <= h.peBudget, accs.reduce(0, { $0 + $1.dramBytesPerCycle }) <= 48 else { continue }
            for mask in 0..<8 {
                var load = [0.0, 0.0]
                for (j, n) in networks.enumerated() { let k = (mask >> j) & 1; load[k] += ASICModel.network(n.layers, on: accs[k], technology: t).cycles }
                best = min(best, load.max()!)
            }
        } }
        #expect(abs(r.latencyCycles - best) <= 1e-6 * best, "mapper \(r.latencyCycles) brute force \(best) \(r.method)")
        #expect(r.areaSquareMillimetres > 0)
    }
}

import Foundation

/// A peer tool's recorded figures in validation/peers: the header and every row (header first).
enum PeerFigures {
    static func read(_ name: String) throws -> (header: [String], rows: [[String]]) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("validation/peers/\(name)"), encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (rows[0], rows)
    }
}

@Suite struct ScaleSimRecordedTests {
    /// SCALE-Sim v3's compute cycles, recorded by validation/peers/run_scalesim.py (the command
    /// and configuration are in validation/peers/README.md): the model must equal every one.
    @Test func computeCyclesEqualScaleSimOnEveryRecordedLayer() throws {
        let (header, lines) = try PeerFigures.read("scalesim-figures.csv")
        func col(_ row: [String], _ name: String) -> String { row[header.firstIndex(of: name)!] }
        var checked = Set<String>()
        for row in lines.dropFirst() where row.count >= header.count - 1 {
            let l = ConvLayer(name: col(row, "layer"), paddedInH: Int(col(row, "ifmap_h"))!, paddedInW: Int(col(row, "ifmap_w"))!,
                              kernelH: Int(col(row, "filter_h"))!, kernelW: Int(col(row, "filter_w"))!, channels: Int(col(row, "channels"))!,
                              filters: Int(col(row, "num_filter"))!, stride: Int(col(row, "stride"))!)
            #expect(l.outH == Int(col(row, "ofmap_h"))!, "\(l.name)")
            let d: ASICDataflow = ["ws": .systolicWS, "os": .systolicOS, "is": .systolicIS][col(row, "dataflow")]!
            let a = ASICAccelerator(dataflow: d, rows: Int(col(row, "array_rows"))!, columns: Int(col(row, "array_cols"))!)
            #expect(ASICModel.computeCycles(l, on: a).cycles == Double(col(row, "compute_cycles"))!, "\(l.name) \(d) \(a.rows)x\(a.columns)")
            checked.insert("\(col(row, "dataflow"))")
        }
        #expect(lines.count > 20 && checked == ["ws", "os", "is"])
    }
}

@Suite struct ZigZagRecordedTests {
    /// ZigZag 3.9.1's per-layer latency for its bundled ResNet-18 on tpu_like (recorded by
    /// validation/peers/run_zigzag.py): a 32×32 array with K over one dimension and C over the
    /// other (the NVDLA-like template), a 64-bit DRAM port, inputs loaded before computing and
    /// weights streamed from DRAM when a PE's share exceeds its 128-byte register, outputs written
    /// back during compute. Within 10% on every layer but the stride-2 1×1 shortcut of stage 4,
    /// whose streamed weights ZigZag overlaps with part of the input load (in refill periods its
    /// mapper chooses; the model loads the input first): 16% above ZigZag.
    @Test func latencyWithinTenPercentOfZigZagPerLayer() throws {
        let (h, lines) = try PeerFigures.read("zigzag-figures.csv")
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        let tpu = ZigZagDepthwiseTests.tpuLike
        var within = 0, total = 0, zz = 0.0, model = 0.0
        for r in lines.dropFirst() where col(r, "layer") != "TOTAL" {
            let l = ConvLayer(name: col(r, "layer"), filters: Int(col(r, "K"))!, channels: Int(col(r, "C"))!, kernelH: Int(col(r, "FY"))!,
                              kernelW: Int(col(r, "FX"))!, outH: Int(col(r, "OY"))!, outW: Int(col(r, "OX"))!, stride: Int(col(r, "stride")) ?? 1,
                              padding: Int(col(r, "FY"))! / 2)
            let ours = ASICModel.cost(l, on: tpu, technology: .nm45).totalCycles
            let theirs = Double(col(r, "latency_cycles"))!
            total += 1
            zz += theirs
            model += ours
            if abs(ours / theirs - 1) <= 0.10 { within += 1 } else {
                #expect(l.name.contains("layer4.0/downsample"), "\(l.name): model \(ours), ZigZag \(theirs)")
            }
        }
        #expect(total == 21 && within == 20)
        #expect(abs(model / zz - 1) <= 0.02, "network: model \(model), ZigZag \(zz)")
    }
}

extension ZigZagRecordedTests {
    /// ZigZag 3.9.1's per-layer energy on tpu_like (recorded by run_zigzag.py), against the model
    /// with tpu_like's own per-access energies (`ASICTechnology.zigzagTPULike`, from the bundled
    /// hardware YAML) and the same accesses ZigZag counts for this hierarchy: MAC; weight
    /// register read and partial-sum register read and write per MAC; inputs written once to the
    /// SRAM and read once per kernel tap and 32-filter fold; outputs written to and read from
    /// the SRAM once; DRAM reads of inputs and weights and writes of outputs, once each. Hand
    /// check, layer1.0/conv1 (K = C = 64, 3×3, 56×56): MAC 0.04 × 115,605,504 = 4.62e6;
    /// registers (0.095 + 2 × 0.021) × 115,605,504 = 15.84e6 (ZigZag: 10.99e6 + 4.99e6 incl.
    /// 0.13e6 of upward reads); SRAM 2 × 64·9·3,136 B × 1.6256 + 200,704 B × (1.6256 + 2 × 1.478)
    /// = 6.79e6 (ZigZag 6.79e6); DRAM (200,704 + 36,864) × 87.5 + 200,704 × 93.75 = 39.60e6
    /// (ZigZag 39.60e6); total 66.85e6 against ZigZag's 67.00e6. Every layer lands within 8%
    /// (conv1, whose C = 3 fills 3 of the 32 rows, is 7% low: ZigZag's chosen loop order
    /// re-reads its outputs' partial sums), the network within 1%.
    @Test func energyWithinTwentyFivePercentOfZigZagPerLayer() throws {
        let (h, lines) = try PeerFigures.read("zigzag-figures.csv")
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        let tpu = ZigZagDepthwiseTests.tpuLike
        var zz = 0.0, model = 0.0, worst = 0.0, n = 0
        for r in lines.dropFirst() where col(r, "layer") != "TOTAL" {
            let l = ConvLayer(name: col(r, "layer"), filters: Int(col(r, "K"))!, channels: Int(col(r, "C"))!, kernelH: Int(col(r, "FY"))!,
                              kernelW: Int(col(r, "FX"))!, outH: Int(col(r, "OY"))!, outW: Int(col(r, "OX"))!, stride: Int(col(r, "stride")) ?? 1,
                              padding: Int(col(r, "FY"))! / 2)
            let c = ASICModel.cost(l, on: tpu, technology: .zigzagTPULike)
            let theirs = Double(col(r, "energy_pJ"))!
            #expect(abs(c.macPicojoules / Double(col(r, "mac_energy_pJ"))! - 1) < 1e-4, "\(l.name)")
            let err = c.energyPicojoules / theirs - 1
            #expect(abs(err) <= 0.25, "\(l.name): model \(c.energyPicojoules), ZigZag \(theirs)")
            worst = max(worst, abs(err))
            zz += theirs
            model += c.energyPicojoules
            n += 1
        }
        #expect(n == 21 && worst <= 0.08)
        #expect(abs(model / zz - 1) <= 0.01, "network: model \(model), ZigZag \(zz)")
    }
}

@Suite struct ScaleSimMemoryTests {
    struct Row { var layer: ConvLayer; var accelerator: ASICAccelerator; var total: Double; var name: String }

    /// Rows of a SCALE-Sim figures file as layers on accelerators whose memory is SCALE-Sim's:
    /// three scratchpads of `sram_kb` (64 kB when the file has no such column) and ports of
    /// `bw_words` (10) words per cycle, i.e. a buffer of 3·sram_kb KiB and 3·bw bytes per cycle.
    static func rows(_ file: String) throws -> [Row] {
        let (h, lines) = try PeerFigures.read(file)
        func col(_ r: [String], _ n: String) -> String? { h.firstIndex(of: n).map { r[$0] } }
        return lines.dropFirst().compactMap { r in
            guard r.count >= h.count - 1, let df = col(r, "dataflow") else { return nil }
            let l = ConvLayer(name: col(r, "layer")!, paddedInH: Int(col(r, "ifmap_h")!)!, paddedInW: Int(col(r, "ifmap_w")!)!,
                              kernelH: Int(col(r, "filter_h")!)!, kernelW: Int(col(r, "filter_w")!)!, channels: Int(col(r, "channels")!)!,
                              filters: Int(col(r, "num_filter")!)!, stride: Int(col(r, "stride")!)!)
            let d: ASICDataflow = ["ws": .systolicWS, "os": .systolicOS, "is": .systolicIS][df]!
            let kb = Double(col(r, "sram_kb") ?? "64") ?? 64, bw = Double(col(r, "bw_words") ?? "10") ?? 10
            let a = ASICAccelerator(dataflow: d, rows: Int(col(r, "array_rows")!)!, columns: Int(col(r, "array_cols")!)!,
                                    bufferKiB: 3 * kb, dramBytesPerCycle: 3 * bw, memory: .scaleSim)
            return Row(layer: l, accelerator: a, total: Double(col(r, "total_cycles")!)!, name: "\(l.name) \(df) \(a.rows)x\(a.columns) \(kb)kB \(bw)w")
        }
    }

    /// Model total cycles against SCALE-Sim's for every row; the rows outside 5%.
    static func check(_ file: String) throws -> (count: Int, outside: [(Row, Double)]) {
        let rs = try rows(file)
        var outside: [(Row, Double)] = []
        for r in rs {
            let c = ASICModel.cost(r.layer, on: r.accelerator, technology: .nm45)
            let err = c.totalCycles / r.total - 1
            if abs(err) > 0.05 { outside.append((r, err)) }
        }
        return (rs.count, outside)
    }

    /// Total cycles within 5% of SCALE-Sim's on every recorded set (file, rows):
    /// - scalesim-figures.csv: the 58 recorded ResNet-18 layer simulations (64 kB scratchpads, 10
    ///   words per cycle), including input-stationary conv1 (7×7, stride 2), whose total the lookup
    ///   by address (ScaleSimIm2col.swift) brings from 33× SCALE-Sim's to within 5%;
    /// - scalesim-new.csv: 48 generated layers on other arrays (8 to 32, not all square),
    ///   scratchpads (16 to 128 kB) and bandwidths (4 to 20 words per cycle), recorded by
    ///   run_scalesim_sets.py --set new;
    /// - scalesim-heldout.csv: 40 held-out layers and configurations (--set heldout), recorded after
    ///   the first version of the mechanism was finished;
    /// - scalesim-heldout2.csv: a second held-out set (--set heldout2, seed 104729, mostly kernels
    ///   larger than 1×1, strides 1 to 3), generated and recorded only after the lookup by address
    ///   was finished. As recorded, 39 of 40 were within 5%; the one outside (h12: a matrix
    ///   product, C = 384, K = 256, on a 32×32 weight-stationary array with 16 kB scratchpads and 2
    ///   words per cycle) was 33% low until the per-row line order (`Demand`,
    ///   ScaleSimMemory.swift): it is now exact;
    /// - scalesim-heldout3.csv: a third held-out set (--set heldout3, seed 1299709), drawn and
    ///   recorded only after the per-row line order was frozen, in the bandwidth-starved regime: 1
    ///   to 4 words per cycle (9 rows at 10), 8 to 64 kB scratchpads (mostly 8 and 16), 13 matrix
    ///   products, 17 kernels larger than 1×1, all three dataflows; 29 of 40 stall, 24 of them for
    ///   longer than they compute (the largest error −1.77%).
    @Test(arguments: [("scalesim-figures.csv", 58), ("scalesim-new.csv", 48), ("scalesim-heldout.csv", 40),
                      ("scalesim-heldout2.csv", 40), ("scalesim-heldout3.csv", 40)])
    func totalCyclesFollowScaleSim(file: String, rows: Int) throws {
        let (n, outside) = try Self.check(file)
        #expect(n == rows)
        #expect(outside.isEmpty, "\(file): \(outside.map { "\($0.0.name) \($0.1)" })")
    }

    /// Variants of h12 (run_scalesim_sets.py --set h12-variants): bandwidth 1 to 10 words per
    /// cycle, scratchpads 8 to 64 kB, the three dataflows, 16×16 and 32×16 arrays, other operand
    /// shapes, 7×7 pixels. The filter's rows straddle a window boundary at every bandwidth, so
    /// all of them re-read the filter more than once around; all 19 within 0.1%.
    @Test func totalCyclesFollowScaleSimOnH12Variants() throws {
        let rs = try Self.rows("scalesim-h12-variants.csv")
        #expect(rs.count == 19)
        for r in rs {
            let c = ASICModel.cost(r.layer, on: r.accelerator, technology: .nm45)
            #expect(abs(c.totalCycles / r.total - 1) <= 0.001, "\(r.name): model \(c.totalCycles), SCALE-Sim \(r.total)")
        }
    }

    /// Hand calculation of a demand row straddling a window boundary: lines of 10 words, window
    /// of 50 lines at 0..<50, 200 lines (1,999 elements). Rows of 10 elements from 495, last row
    /// first: row 1 (505...514, lines 50 and 51) moves the window to 50..<100; row 0 (495...504)
    /// looks up line 49 first (SCALE-Sim walks a row left to right), which sends the window
    /// around the operand (100, 150, 0: three transfers), then line 50, one more (50..<100):
    /// five in all. Walking the lines top down (line 49 last) would stop at 0..<50 after four.
    @Test func aRowStraddlingTheWindowLooksUpItsLowerLineFirst() {
        var b = ScaleSimMemory.ReadBuffer(words: 1000, bandwidth: 10, elements: 1999)
        #expect(b.lines == 200 && b.active == 50 && b.step == 50)
        var d = ScaleSimMemory.Demand.reversed(b, 495, 2, 10, 0)
        var times: [Int] = []
        while let u = d.next(b) { times.append(u); _ = d.fire(&b, Double(u) + 1) }
        #expect(b.prefetches == 5 && b.start == 50)
        #expect(times == [0, 0, 1, 1])
    }

    /// Hand calculation: every operand fits in its scratchpad's active half, so SCALE-Sim never
    /// stalls and the total is the compute closed form.
    @Test func layersThatFitNeverStall() {
        let l = ConvLayer(name: "small", filters: 16, channels: 16, kernelH: 1, kernelW: 1, outH: 8, outW: 8)
        for d in [ASICDataflow.systolicWS, .systolicOS, .systolicIS] {
            let a = ASICAccelerator(dataflow: d, rows: 8, columns: 8, bufferKiB: 192, dramBytesPerCycle: 30, memory: .scaleSim)
            let c = ASICModel.cost(l, on: a, technology: .nm45)
            #expect(c.stallCycles == 0 && c.computeCycles == ASICModel.computeCycles(l, on: a).cycles)
        }
    }

    /// Hand calculation of the read scratchpad: 1,000 words (lines of 10, active half 50 lines,
    /// prefetch half 50 lines), 2,000 elements (201 lines), 10 words per cycle: a transfer takes
    /// 500/10 + 1 = 51 cycles. Line 60 misses once (window 50..<100) at DRAM time −1 + 51 = 50;
    /// demanded at 20, the stall is counted twice: served at 50 + 30 = 80. Line 10, now behind
    /// the window, sends the window around the operand: to 100 (DRAM done at 101, before the
    /// request at 1,000; SCALE-Sim adds that negative stall too, moving the request back to 101),
    /// to 150 (done at 152, 51 late, counted twice: 203) and to 200 (done at 203), whose 50 lines
    /// wrap past the end (201 lines) to hold line 10.
    @Test func readScratchpadWindowAndStallsFollowScaleSim() {
        var b = ScaleSimMemory.ReadBuffer(words: 1000, bandwidth: 10, elements: 2000)
        #expect(b.line == 10 && b.lines == 201 && b.active == 50 && b.step == 50 && b.transfer == 51)
        #expect(b.demand(49, 5) == 5 && b.prefetches == 0)
        #expect(b.demand(60, 20) == 80 && b.prefetches == 1 && b.start == 50)
        #expect(b.demand(10, 1000) == 203 && b.prefetches == 4 && b.start == 200)
    }
}

/// SCALE-Sim's lookup by address of repeated im2col elements (ScaleSimIm2col.swift).
@Suite struct ScaleSimIm2colTests {
    static func geometry(_ kind: Im2colGeometry.Kind, t: Int, r: Int, c: Int, sr: Int, sc: Int, l: ConvLayer) -> Im2colGeometry {
        let rf = (sr + r - 1) / r, cf = (sc + c - 1) / c
        return Im2colGeometry(kind: kind, t: t, r: r, c: c, sr: sr, rowFolds: rf, rLast: sr - (rf - 1) * r, colFolds: cf, cLast: sc - (cf - 1) * c,
                              oh: l.outH, ow: l.outW, kh: l.kernelH, kw: l.kernelW, ch: l.channels, stride: l.stride, line: 1)
    }

    /// SCALE-Sim's fetch order, built as its create_*_prefetch_mat does (row folds stacked with
    /// null columns, read in diagonal order skipping nulls): the closed-form positions agree.
    @Test func diagonalPositionsFollowScaleSimsFetchOrder() {
        for (rows, width, r) in [(5, 7, 3), (4, 3, 4), (6, 10, 4), (1, 5, 2), (9, 10, 3), (12, 64, 8), (3, 10, 4), (20, 17, 5)] {
            let rf = (width + r - 1) / r, rLast = width - (rf - 1) * r
            let m = rf * rows
            var order: [Int: Int] = [:]   // (global row * r + col) -> position
            var idx = 0
            for d in 0..<(m + r) {
                for g in stride(from: min(d, m - 1), through: max(0, d - r + 1), by: -1) {
                    let b = d - g
                    if g / rows == rf - 1 && b >= rLast { continue }
                    order[g * r + b] = idx; idx += 1
                }
            }
            let l = ConvLayer(name: "x", filters: 1, channels: 1, kernelH: 1, kernelW: 1, outH: rows, outW: 1)
            let geo = Self.geometry(.ws, t: rows, r: r, c: 1, sr: width, sc: 1, l: l)
            for (key, p) in order { #expect(geo.diagonalPosition(key / r, key % r) == p) }
            #expect(idx == rows * width)
        }
    }

    /// Hand calculation: a 3×3 stride-1 kernel over a 4×4 single-channel input (2×2 outputs).
    /// Input element (1, 1) is tap 4 of pixel 0, tap 3 of pixel 1, tap 1 of pixel 2 and tap 0 of
    /// pixel 3; on input-stationary with a 9×4 fold read row by row, those are positions
    /// 4·4 + 0, 3·4 + 1, 1·4 + 2 and 0·4 + 3.
    @Test func copiesOfAnInputElementAreAllFound() {
        let l = ConvLayer(name: "x", filters: 1, channels: 1, kernelH: 3, kernelW: 3, outH: 2, outW: 2)
        let g = Self.geometry(.is, t: 1, r: 9, c: 4, sr: 9, sc: 4, l: l)
        var out = [Int](repeating: -1, count: g.maxCopies)
        let n = out.withUnsafeMutableBufferPointer { g.copyLines(pixel: 0, tap: 4, into: $0.baseAddress!) }
        #expect(n == 4 && Set(out[0..<n]) == [16, 13, 6, 3] && out[0] == 16)
        // Element (0, 0) appears once (tap 0 of pixel 0); element (3, 3) once (tap 8 of pixel 3).
        #expect(out.withUnsafeMutableBufferPointer { g.copyLines(pixel: 0, tap: 0, into: $0.baseAddress!) } == 1)
        #expect(out.withUnsafeMutableBufferPointer { g.copyLines(pixel: 3, tap: 8, into: $0.baseAddress!) } == 1)
    }

    /// With lookup by address a miss moves the window only until it holds a copy: window of 50
    /// lines at 50..<100 (lines of 10 words, 201 lines); an element on line 10 with a copy on
    /// line 120 moves it once (to 100..<150), not around the operand to line 10.
    @Test func aMissStopsAtTheFirstCopy() {
        var b = ScaleSimMemory.ReadBuffer(words: 1000, bandwidth: 10, elements: 2000)
        _ = b.demand(60, 20)
        let copies = [10, 120]
        let t = copies.withUnsafeBufferPointer { b.demandAny($0, 1000) }
        #expect(b.prefetches == 2 && b.start == 100 && t == 101)
        let hit = copies.withUnsafeBufferPointer { b.demandAny($0, 2000) }
        #expect(hit == 2000 && b.prefetches == 2)
    }
}
