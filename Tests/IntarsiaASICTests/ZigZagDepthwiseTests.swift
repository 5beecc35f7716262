import Foundation
import IntarsiaASIC
import IntarsiaCore
import Testing

/// ZigZag 3.9.1 on its bundled tpu_like accelerator, per layer, for ResNet-18 and two depthwise
/// networks imported from ONNX (MobileNetV2 and MNASNet-1.0, designs/onnx/*-shapes.onnx,
/// recorded by validation/peers/run_zigzag.py and run_zigzag_depthwise.py): tpu_like is the
/// NVDLA-like 32×32 array (C over the rows, K over the columns; depthwise groups one after
/// another, one PE each), a 64-bit DRAM port, inputs loaded before computing, 128-byte weight
/// registers per PE (weights that do not fit stream from DRAM while the PEs compute), outputs
/// written back during compute, and tpu_like's per-access energies with 64-bit SRAM and DRAM
/// words. Targets (issue 12): latency and energy within 10% on at least 90% of layers, the
/// network within 5%.
@Suite struct ZigZagDepthwiseTests {
    static let tpuLike: ASICAccelerator = {
        var a = ASICAccelerator(dataflow: .nvdla, rows: 32, columns: 32, bufferKiB: 2048, dramBytesPerCycle: 8, memory: .preloadInputs)
        a.l1Bytes = 128  // tpu_like's rf_128B weight register
        return a
    }()

    /// The file's layers as the ZigZag rows give them (K and C per group, G groups).
    static func layers(_ file: String) throws -> [(layer: ConvLayer, latency: Double, energy: Double, mac: Double)] {
        let (h, lines) = try PeerFigures.read(file)
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        return lines.dropFirst().filter { col($0, "layer") != "TOTAL" }.map { r in
            let g = Int(col(r, "G")) ?? 1
            let l = ConvLayer(name: col(r, "layer"), filters: Int(col(r, "K"))! * g, channels: Int(col(r, "C"))! * g, kernelH: Int(col(r, "FY"))!,
                              kernelW: Int(col(r, "FX"))!, outH: Int(col(r, "OY"))!, outW: Int(col(r, "OX"))!, stride: Int(col(r, "stride")) ?? 1, groups: g,
                              padding: Int(col(r, "FY"))! / 2)
            return (l, Double(col(r, "latency_cycles"))!, Double(col(r, "energy_pJ"))!, Double(col(r, "mac_energy_pJ"))!)
        }
    }

    @Test(arguments: ["zigzag-figures.csv", "zigzag-mobilenetv2.csv", "zigzag-mnasnet1_0.csv"])
    func latencyAndEnergyPerLayer(file: String) throws {
        let rows = try Self.layers(file)
        var latencyWithin = 0, energyWithin = 0
        var zzLatency = 0.0, zzEnergy = 0.0, latency = 0.0, energy = 0.0
        var misses: [String] = []
        for r in rows {
            let c = ASICModel.cost(r.layer, on: Self.tpuLike, technology: .zigzagTPULike)
            #expect(abs(c.macPicojoules / r.mac - 1) < 1e-4, "\(r.layer.name)")
            if abs(c.totalCycles / r.latency - 1) <= 0.10 { latencyWithin += 1 } else { misses.append("\(r.layer.name) latency \(c.totalCycles) vs \(r.latency)") }
            if abs(c.energyPicojoules / r.energy - 1) <= 0.10 { energyWithin += 1 } else { misses.append("\(r.layer.name) energy \(c.energyPicojoules) vs \(r.energy)") }
            zzLatency += r.latency
            zzEnergy += r.energy
            latency += c.totalCycles
            energy += c.energyPicojoules
        }
        print("ZigZag \(file): \(rows.count) layers, latency within 10% on \(latencyWithin), energy on \(energyWithin); network latency \(latency / zzLatency - 1), energy \(energy / zzEnergy - 1)")
        for m in misses { print("  \(m)") }
        #expect(Double(latencyWithin) >= 0.9 * Double(rows.count), "\(file)")
        #expect(Double(energyWithin) >= 0.9 * Double(rows.count), "\(file)")
        #expect(abs(latency / zzLatency - 1) <= 0.05 && abs(energy / zzEnergy - 1) <= 0.05, "\(file)")
    }

    /// A depthwise 3×3 layer of 32 channels on 112×112 (MobileNetV2's features.1): each group
    /// runs on one PE, 9 MACs a pixel: 32·9·112·112 = 3,612,672 cycles plus the 5-level adder
    /// tree; before them the 114×114×32 padded input over the 8-byte port, 51,984 cycles; the
    /// weights (32·9 bytes) do not fit one PE's 128 bytes and stream, and with the outputs
    /// (401,408 bytes, 50,176 cycles) hide under compute. ZigZag: 3,662,850.
    @Test func depthwiseLayerByHand() {
        let l = ConvLayer(name: "dw", filters: 32, channels: 32, kernelH: 3, kernelW: 3, outH: 112, outW: 112, groups: 32)
        let c = ASICModel.cost(l, on: Self.tpuLike, technology: .zigzagTPULike)
        #expect(c.computeCycles == 3_612_672 + 5)
        #expect(c.stallCycles == 51_984)
        #expect(abs(c.totalCycles / 3_662_850 - 1) < 0.001)
    }
}

/// SCALE-Sim v3 in its CALC interface mode (validation/peers/scalesim-calc.csv, recorded by
/// run_scalesim_calc.py: 19 ResNet-18 layer runs, WS/OS/IS, 32×32 and 16×16, 64 kB scratchpads):
/// no stalls, so the total cycles are the compute closed form on every run; the DRAM traffic of
/// `scalesim_bandwidth: calc` against SCALE-Sim's counts.
@Suite struct ScaleSimCalcTests {
    @Test func noStallsAndItsDRAMTraffic() throws {
        let (h, lines) = try PeerFigures.read("scalesim-calc.csv")
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        var exact = 0, rows = 0, repeatsMisses: [String] = []
        for r in lines.dropFirst() where r.count == h.count {
            let l = ConvLayer(name: col(r, "layer"), paddedInH: Int(col(r, "ifmap_h"))!, paddedInW: Int(col(r, "ifmap_w"))!,
                              kernelH: Int(col(r, "filter_h"))!, kernelW: Int(col(r, "filter_w"))!, channels: Int(col(r, "channels"))!,
                              filters: Int(col(r, "num_filter"))!, stride: Int(col(r, "stride"))!)
            let d: ASICDataflow = ["ws": .systolicWS, "os": .systolicOS, "is": .systolicIS][col(r, "dataflow")]!
            let kb = Double(col(r, "sram_kb"))!
            var a = ASICAccelerator(dataflow: d, rows: Int(col(r, "array_rows"))!, columns: Int(col(r, "array_cols"))!, bufferKiB: 3 * kb,
                                    dramBytesPerCycle: 30, memory: .scaleSim)
            a.scaleSimBandwidth = .calc
            let c = ASICModel.cost(l, on: a, technology: .nm45)
            rows += 1
            #expect(c.stallCycles == 0 && c.totalCycles == Double(col(r, "total_cycles"))!, "\(l.name) \(d)")
            let ofmap = Double(col(r, "ofmap_dram_writes"))!
            #expect(abs(c.offChip.outputWrites / ofmap - 1) < 0.001, "\(l.name) \(d)")
            let ifmap = Double(col(r, "ifmap_dram_reads"))!, filter = Double(col(r, "filter_dram_reads"))!
            if c.offChip.inputReads == ifmap && c.offChip.weightReads == filter { exact += 1 } else {
                // Only where the im2col input repeats elements (kernel larger than the stride),
                // which SCALE-Sim reads once while they stay in its window.
                #expect(l.kernelH > l.stride, "\(l.name) \(d): \(c.offChip) against \(ifmap), \(filter)")
                repeatsMisses.append("\(l.name) \(d.rawValue) \(a.rows): ifmap \(c.offChip.inputReads) vs \(ifmap), filter \(c.offChip.weightReads) vs \(filter)")
            }
        }
        print("SCALE-Sim CALC: \(rows) runs, ifmap and filter DRAM reads exact on \(exact)"); for m in repeatsMisses { print("  \(m)") }
        #expect(rows == 19 && exact >= 14)
    }
}
