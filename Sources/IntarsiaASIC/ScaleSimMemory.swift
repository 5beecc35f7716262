import Foundation
import IntarsiaCore

/// SCALE-Sim v3's memory system for the systolic templates (`ASICMemory.scaleSim`), reproduced
/// mechanism by mechanism from its source (scalesim 3.0.0 as installed from PyPI; the file and
/// function of each rule is named below), so that the model's total cycles follow SCALE-Sim's
/// on layers and configurations it was not built on (validation/peers/README.md).
///
/// The array reads its operands from two double-buffered scratchpads (ifmap, filter) and writes
/// to a third (ofmap); each has its own off-chip port. Here each gets a third of the
/// accelerator's buffer and a third of its off-chip bandwidth (SCALE-Sim's word is one byte, so
/// words are elements of the layer's data type).
///
/// Read scratchpad (`memory/read_buffer.py`):
/// - The operand's fetch order (its "prefetch matrix": `compute/systolic_compute_{ws,os,is}.py`,
///   `create_*_prefetch_mat`) is cut into lines of `ceil(S/100)` elements
///   (`prepare_hashed_buffer`). The active half of the scratchpad holds `A = ceil(S/2)/line`
///   consecutive lines of a circular window over the operand; a demanded element outside the
///   window moves the window forward by `P` lines (the prefetch half) until it holds the
///   element, wrapping around the operand (`service_reads`, `new_prefetch`). A fold that returns
///   to data behind the window therefore re-fetches around the whole operand.
/// - Each move is a DRAM transfer of the prefetch half, `ceil(half/bw) + 1` cycles, issued when
///   the previous one ended (`new_prefetch`: request cycles `last_prefetch_cycle + i + 1`, read
///   latency 1); the first active half is loaded before cycle 0 (`prefetch_active_buffer`).
/// - When a transfer ends after the array wants it, the array stalls; SCALE-Sim adds the
///   difference to the request's offset twice (`service_reads`, non-layout branch:
///   `offset += potential_stall_cycles` and again when positive) and also adds it when negative,
///   which moves the request back to the transfer's end. Both are reproduced.
/// Write scratchpad (`memory/write_buffer.py`): outputs fill it; once more than half is full and
/// no drain is running, half is drained at `bw` words per cycle (`empty_drain_buf`); a full
/// scratchpad stalls the array until the drain ends (`service_writes`).
/// Per row of the demand matrices the array stalls by the largest of the three
/// (`memory/double_buffered_scratchpad_mem.py`, `service_memory_requests`).
///
/// Fetch and demand orders (per fold, folds in column-fold-major order): WS reads ifmap row folds
/// as diagonal-ordered blocks, swept at one anti-diagonal per cycle, and filter columns folds
/// row-major, each fold's rows last row first; OS reads both as diagonal-ordered blocks (the
/// filter block of a column fold is swept again for every row fold); IS reads ifmap column folds
/// row-major, rows last first, and filter row folds as diagonal-ordered blocks. Neighbouring
/// diagonal-ordered blocks interleave at their junction (a fold's last anti-diagonals lie after
/// the next fold's first elements), which is what makes a window boundary near a fold junction
/// send the window around the operand.
///
/// Lookup by address: SCALE-Sim finds an element in the window by address, so an input pixel that
/// im2col repeats (a kernel larger than its stride) hits on whichever copy the window holds; for
/// such layers the ifmap demand is walked element by element (`CopyDemand`, ScaleSimIm2col.swift).
public enum ScaleSimMemory {
    @inline(__always) static func cdiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    /// One read scratchpad: its window over the operand's lines and its DRAM timeline.
    struct ReadBuffer {
        let line: Int, lines: Int, active: Int, step: Int
        let transfer: Double
        var start = 0
        var dram = -1.0
        var prefetches = 0

        init(words s: Int, bandwidth bw: Double, elements e: Int) {
            line = max(1, cdiv(s, 100))
            let act = cdiv(s, 2), pre = s - act
            lines = e / line + 1
            active = min(lines, cdiv(act, line))
            step = min(lines - active, cdiv(pre, line))
            transfer = (Double(pre) / bw).rounded(.up) + 1
        }

        @inline(__always) func holds(_ x: Int) -> Bool { ((x - start) % lines + lines) % lines < active }

        /// Demands line `x` at time `tau` (cycle + hit latency); the time it is served.
        mutating func demand(_ x: Int, _ tau: Double) -> Double {
            advance(tau) { $0.holds(x) }
        }

        /// Demands an element held on any of `copies` lines (SCALE-Sim's lookup by address: an
        /// input pixel that im2col repeats is found on whichever copy the window holds), at time
        /// `tau`; the window moves forward until it holds one of them.
        mutating func demandAny(_ copies: UnsafeBufferPointer<Int>, _ tau: Double) -> Double {
            advance(tau) { w in copies.contains(where: w.holds) }
        }

        /// Moves the window forward, a prefetch at a time, until `held` says it holds what is
        /// demanded at time `tau`; the time it is served.
        @inline(__always) private mutating func advance(_ tau: Double, until held: (Self) -> Bool) -> Double {
            guard step > 0 else { return tau }
            var t = tau
            while !held(self) {
                start = (start + step) % lines
                dram += transfer
                prefetches += 1
                let p = dram - t
                t = dram + max(p, 0)
            }
            return t
        }

        /// The first line after `x` outside the window (the window holds `x`).
        @inline(__always) func nextOutside(_ x: Int) -> Int {
            step == 0 ? Int.max : x + ((start + active - 1 - x) % lines + lines) % lines + 1
        }
    }

    /// A fold's demand on one read scratchpad: a forward sweep over `first...last` (diagonal
    /// order, `duration` cycles from `u0`), or rows of `width` elements from `q`, last row first,
    /// one per cycle from `u0`.
    ///
    /// Row by row, SCALE-Sim looks up a row's elements in ascending order (`service_reads` walks
    /// the demand row left to right), so a row that straddles two lines demands the lower line
    /// first, then the upper one, in the same cycle. When the window has just moved past the
    /// lower line (the rows above were demanded first), the lower line sends it around the whole
    /// operand and the upper line then moves it once more: the bandwidth-starved matrix product
    /// of validation/peers/scalesim-heldout2.csv (h12) re-reads its filter 18 times, not 12.
    /// The walk is per row and line, skipping in O(1) every row whose lines the window holds.
    struct Demand {
        var forward: Bool
        var first = 0, last = 0, u0 = 0, duration = 1
        var q = 0, rows = 0, width = 1
        var x = 0, end = 0
        /// Reversed demand: the current row and the last line it touches.
        var row = 0, rowTop = 0

        static func sweep(_ b: ReadBuffer, _ first: Int, _ last: Int, _ u0: Int, _ duration: Int) -> Demand {
            Demand(forward: true, first: first, last: last, u0: u0, duration: duration, x: first / b.line, end: last / b.line)
        }
        static func reversed(_ b: ReadBuffer, _ q: Int, _ rows: Int, _ width: Int, _ u0: Int) -> Demand {
            let j = rows - 1
            return Demand(forward: false, u0: u0, q: q, rows: rows, width: width,
                          x: (q + j * width) / b.line, end: 0, row: b.step == 0 ? -1 : j, rowTop: (q + (j + 1) * width - 1) / b.line)
        }

        func next(_ b: ReadBuffer) -> Int? {
            if forward {
                guard x <= end else { return nil }
                let p = max(first, x * b.line)
                return u0 + (last == first ? 0 : (p - first) * duration / (last - first + 1))
            }
            guard row >= 0 else { return nil }
            return u0 + rows - 1 - row
        }

        mutating func fire(_ b: inout ReadBuffer, _ tau: Double) -> Double {
            let t = b.demand(x, tau)
            if forward { x = b.step == 0 ? end + 1 : b.nextOutside(x); return t }
            if x < rowTop { x += 1; return t }
            // Row done: the window holds its lines [bottom, rowTop] (it moved forward at most
            // once past the bottom line while the upper lines were demanded). The next row
            // that matters is the first one (going down) reaching below the held lines.
            let bottom = (q + row * width) / b.line
            let low = bottom - ((bottom - b.start) % b.lines + b.lines) % b.lines
            if b.holds(bottom) && b.holds(rowTop) && rowTop - low < b.active {
                let j = low * b.line - 1 - q
                row = j < 0 ? -1 : min(row - 1, j / width)
            } else {
                row -= 1
            }
            if row >= 0 {
                x = (q + row * width) / b.line
                rowTop = (q + (row + 1) * width - 1) / b.line
            }
            return t
        }
    }

    /// Diagonal-ordered blocks of `t` rows: widths `w` (all full but the last, `lastWidth`).
    /// Block `k`'s sweep runs from its first to its last element in fetch order.
    @inline(__always)
    static func diagonalBlock(_ k: Int, count: Int, rows t: Int, width w: Int, lastWidth v: Int) -> (first: Int, last: Int) {
        let j = t * w * k
        let size = k == count - 1 ? t * v : t * w
        let head = k == 0 ? 0 : w * (w - 1) / 2
        var tail = 0
        if k < count - 1 {
            let next = k + 1 == count - 1 ? v : w
            tail = next >= w - 1 ? w * (w - 1) / 2 : next * (next + 1) / 2 + next * (w - 1 - next)
        }
        return (j - head, j + size + tail - 1)
    }

    public struct Result: Sendable, Hashable {
        public var totalCycles: Double
        public var ifmapPrefetches: Int
        public var filterPrefetches: Int
        /// Words read from DRAM per read scratchpad (the first active half included) and written.
        public var ifmapWords: Double
        public var filterWords: Double
        public var ofmapWords: Double
    }

    /// SCALE-Sim's total cycles (compute and stalls) for a systolic layer; nil for the other
    /// dataflows.
    public static func simulate(_ l: ConvLayer, on a: ASICAccelerator) -> Result? {
        guard let f = Folding(l, a) else { return nil }
        let elementBytes = max(l.bytesPerElement, 1e-9)
        let words = max(2, Int((a.bufferKiB * 1024 / 3 / elementBytes).rounded(.down)))
        let bw = max(a.dramBytesPerCycle / 3 / elementBytes, 1e-9)
        let foldLength = f.t + (f.kind == .os ? f.r : 2 * f.r) + f.c - 2
        var ifmap = ReadBuffer(words: words, bandwidth: bw, elements: f.ifmapElements)
        var weights = ReadBuffer(words: words, bandwidth: bw, elements: f.filterElements)
        var out = WriteBuffer(words: words, bandwidth: bw)
        // Lookup by address where im2col repeats input elements (ScaleSimIm2col.swift).
        let geometry: Im2colGeometry? = Im2colGeometry.repeats(l) ? Im2colGeometry(
            kind: f.kind, t: f.t, r: f.r, c: f.c, sr: f.sr,
            rowFolds: f.rowFolds, rLast: f.rLast, colFolds: f.colFolds, cLast: f.cLast,
            oh: l.outH, ow: l.outW, kh: l.kernelH, kw: l.kernelW, ch: l.channels, stride: l.stride, line: ifmap.line) : nil
        var stall = 0.0, base = 0
        for fc in 0..<f.colFolds {
            let cv = fc == f.colFolds - 1 ? f.cLast : f.c
            for fr in 0..<f.rowFolds {
                let rv = fr == f.rowFolds - 1 ? f.rLast : f.r
                var fold = f.fold(fc, fr, rowWidth: rv, columnWidth: cv, ifmap: ifmap, weights: weights)
                var copies: CopyDemand? = geometry.map { g in
                    g.kind == .is ? CopyDemand(g, fold: fc, rowFold: fr, width: cv, height: rv, u0: f.r - rv)
                                  : CopyDemand(g, fold: fr, width: rv, u0: g.kind == .ws ? f.r : 0)
                }
                out.written += Double(fold.outputWords)
                walk(&fold, copies: &copies, ifmap: &ifmap, weights: &weights, out: &out, base: base, stall: &stall)
                base += foldLength
            }
        }
        func reads(_ b: ReadBuffer, _ elements: Int) -> Double {
            let first = min((Double(cdiv(words, 2)) / bw).rounded(.up) * bw, Double(elements))
            return first + Double(b.prefetches) * (Double(words - cdiv(words, 2)) / bw).rounded(.up) * bw
        }
        return Result(totalCycles: Double(base - 1) + stall, ifmapPrefetches: ifmap.prefetches, filterPrefetches: weights.prefetches,
                      ifmapWords: reads(ifmap, f.ifmapElements), filterWords: reads(weights, f.filterElements), ofmapWords: out.written)
    }
}

extension ASICModel {
    /// `network(_:on:technology:)` with the layers shared out among `workers` threads when the
    /// accelerator uses SCALE-Sim's memory style with a user bandwidth (each layer's walk is
    /// independent of the others'; the closed forms are too quick to share). The layers' figures
    /// are summed in layer order, so the result is the same for any number of workers.
    public static func network(_ layers: [ConvLayer], on a: ASICAccelerator, technology t: ASICTechnology, workers: Int) -> (cycles: Double, energyPicojoules: Double) {
        guard workers > 1, a.memory == .scaleSim, a.scaleSimBandwidth == .user else { return network(layers, on: a, technology: t) }
        var cycles = 0.0, energy = 0.0
        // The walk takes time in proportion to a layer's MACs: the costliest go first, each to
        // the next free worker.
        let order = layers.indices.sorted { (-layers[$0].macs, $0) < (-layers[$1].macs, $1) }
        for c in Parallel.map(layers.count, workers: workers, claiming: order, { cost(layers[$0], on: a, technology: t) }) {
            cycles += c.totalCycles
            energy += c.energyPicojoules
        }
        return (cycles, energy)
    }
}
