import Foundation

/// The fold walk of `ScaleSimMemory.simulate`: how a systolic layer folds onto the array, each
/// fold's demands on the two read scratchpads, and the write scratchpad its outputs fill
/// (SCALE-Sim v3's `memory/write_buffer.py` and `double_buffered_scratchpad_mem.py`; see
/// ScaleSimMemory.swift for the rules).
extension ScaleSimMemory {
    /// A systolic layer on an `r`×`c` array: the operand matrix `sr`×`sc` streamed over `t`
    /// steps, cut into `rowFolds`×`colFolds` folds (the last ones `rLast` and `cLast` wide).
    struct Folding {
        let kind: Im2colGeometry.Kind
        let t: Int, r: Int, c: Int, sr: Int, sc: Int
        let rowFolds: Int, colFolds: Int, rLast: Int, cLast: Int

        /// Nil for a dataflow other than the three systolic ones.
        init?(_ l: ConvLayer, _ a: ASICAccelerator) {
            let pixels = l.outputPixels, filter = l.reduction, k = l.filters
            switch a.dataflow.systolicForm {
            case .weightStationary?: (kind, sr, sc, t) = (.ws, filter, k, pixels)
            case .outputStationary?: (kind, sr, sc, t) = (.os, pixels, k, filter)
            case .inputStationary?: (kind, sr, sc, t) = (.is, filter, pixels, k)
            case nil: return nil
            }
            r = Int(a.rows)
            c = Int(a.columns)
            rowFolds = cdiv(sr, r)
            colFolds = cdiv(sc, c)
            rLast = sr - (rowFolds - 1) * r
            cLast = sc - (colFolds - 1) * c
        }

        /// Elements of the ifmap and filter operands (their fetch orders' lengths).
        var ifmapElements: Int { kind == .is ? sr * sc : t * sr }
        var filterElements: Int { kind == .ws ? sr * sc : t * (kind == .os ? sc : sr) }

        /// Column fold `fc`, row fold `fr` (`rowWidth` × `columnWidth` of the array in use).
        func fold(_ fc: Int, _ fr: Int, rowWidth rv: Int, columnWidth cv: Int, ifmap: ReadBuffer, weights: ReadBuffer) -> Fold {
            switch kind {
            case .ws:
                let b = diagonalBlock(fr, count: rowFolds, rows: t, width: r, lastWidth: rLast)
                return Fold(ifmap: .sweep(ifmap, b.first, b.last, r, t + rv - 1), weights: .reversed(weights, sr * c * fc + fr * r * cv, rv, cv, r - rv),
                            outputRows: t + cv - 1, outputWords: t * cv, firstOutputRow: 2 * r - 1)
            case .os:
                let b = diagonalBlock(fr, count: rowFolds, rows: t, width: r, lastWidth: rLast)
                let f = diagonalBlock(fc, count: colFolds, rows: t, width: c, lastWidth: cLast)
                return Fold(ifmap: .sweep(ifmap, b.first, b.last, 0, t + rv - 1), weights: .sweep(weights, f.first, f.last, 0, t + cv - 1),
                            outputRows: rv + cv - 1, outputWords: rv * cv, firstOutputRow: t - 1 + r - rv)
            case .is:
                let f = diagonalBlock(fr, count: rowFolds, rows: t, width: r, lastWidth: rLast)
                return Fold(ifmap: .reversed(ifmap, sr * c * fc + fr * r * cv, rv, cv, r - rv), weights: .sweep(weights, f.first, f.last, r, t + rv - 1),
                            outputRows: t + cv - 1, outputWords: t * cv, firstOutputRow: 2 * r - 1)
            }
        }
    }

    /// One fold: its demands on the read scratchpads, and its output rows (`outputWords` words
    /// over `outputRows` rows from `firstOutputRow`, cycles from the fold's start).
    struct Fold {
        var ifmap: Demand
        var weights: Demand
        let outputRows: Int, outputWords: Int, firstOutputRow: Int
    }

    /// The write scratchpad: outputs fill it; once more than half is full and no drain is
    /// running, half drains at `bw` words per cycle; a full scratchpad stalls the array until
    /// the drain ends.
    struct WriteBuffer {
        let total: Double, half: Double, chunk: Double, bw: Double
        var stored = 0.0, drainEnd = 0.0
        /// Words written to DRAM (every output of every fold).
        var written = 0.0

        init(words: Int, bandwidth bw: Double) {
            total = Double(words)
            half = Double(words - cdiv(words, 2))
            chunk = (half / bw).rounded(.up) * bw
            self.bw = bw
        }

        /// Stores output rows `w..<limit` (`perRow` words each, row `w` at cycle `base + w +
        /// stall`), with drains and full-scratchpad stalls.
        mutating func store(_ w: inout Int, upTo limit: Int, perRow: Double, base: Int, stall: inout Double) {
            while w < limit {
                let now = Double(base + w) + stall
                var rowsNow: Int
                if now >= drainEnd {
                    if stored > half {
                        let amount = min(chunk, stored)
                        drainEnd = now + (amount / bw).rounded(.up)
                        stored -= amount
                        continue
                    }
                    rowsNow = Int(((half - stored) / perRow).rounded(.down)) + 1
                } else {
                    let toFull = Int(((total - stored) / perRow).rounded(.up))
                    let toEnd = Int((drainEnd - now).rounded(.up))
                    if toFull >= 1 && toFull <= toEnd {
                        let n = min(toFull, limit - w)
                        stored += perRow * Double(n)
                        w += n
                        if n == toFull && stored >= total {
                            let at = Double(base + w - 1) + stall
                            if at < drainEnd { stall += drainEnd - at }
                        }
                        continue
                    }
                    rowsNow = toEnd
                }
                let n = max(1, min(rowsNow, limit - w))
                stored += perRow * Double(n)
                w += n
            }
        }
    }

    /// Walks one fold cycle by cycle where something happens: outputs stored up to the next
    /// read demand, then every demand of that cycle served; the array stalls by the larger of
    /// the two read scratchpads' delays (`service_memory_requests`). `copies` replaces the
    /// ifmap demand where im2col repeats input elements.
    static func walk(_ fold: inout Fold, copies: inout CopyDemand?, ifmap: inout ReadBuffer, weights: inout ReadBuffer,
                     out: inout WriteBuffer, base: Int, stall: inout Double) {
        let perRow = Double(fold.outputWords) / Double(fold.outputRows)
        var w = fold.firstOutputRow
        let wEnd = fold.firstOutputRow + fold.outputRows
        while true {
            let u0 = copies != nil ? copies!.next(ifmap) : fold.ifmap.next(ifmap), u1 = fold.weights.next(weights)
            let ur: Int? = u0 == nil ? u1 : (u1 == nil ? u0 : min(u0!, u1!))
            out.store(&w, upTo: ur.map { min($0, wEnd) } ?? wEnd, perRow: perRow, base: base, stall: &stall)
            guard let u = ur else { break }
            let cycle = Double(base + u) + stall
            var worst = 0.0
            var fired = false, tau = cycle + 1
            if copies != nil {
                while copies!.next(ifmap) == u { tau = copies!.fire(&ifmap, tau); fired = true }
            } else {
                while fold.ifmap.next(ifmap) == u { tau = fold.ifmap.fire(&ifmap, tau); fired = true }
            }
            if fired { worst = max(worst, tau - cycle - 1) }
            fired = false; tau = cycle + 1
            while fold.weights.next(weights) == u { tau = fold.weights.fire(&weights, tau); fired = true }
            if fired { worst = max(worst, tau - cycle - 1) }
            stall += worst
        }
    }
}
