/// SCALE-Sim's lookup by address for the im2col input of a convolution whose kernel is larger
/// than its stride (`ScaleSimMemory`).
///
/// SCALE-Sim's ifmap operand matrix (`compute/operand_matrix.py`, `calc_ifmap_elem_addr`) holds,
/// for output pixel `i` and filter tap `j = (fy·S + fx)·C + c`, the address of input element
/// `(oy·s + fy, ox·s + fx, c)`; a kernel larger than its stride repeats an input element in up to
/// `ceil(R/s)·ceil(S/s)` places. The read scratchpad cuts the fetch order into lines that are
/// *sets of addresses* (`memory/read_buffer.py`, `prepare_hashed_buffer`) and `active_buffer_hit`
/// asks whether the demanded address is in any line of the window, so a demanded element is a hit
/// when the window holds any of its copies, and a miss moves the window forward only until it
/// holds one of them (`service_reads`: `while not self.active_buffer_hit(addr): new_prefetch()`).
///
/// `Im2colGeometry` gives every copy's place in SCALE-Sim's fetch order (the ifmap prefetch
/// matrix of `compute/systolic_compute_{ws,os,is}.py`: for WS and OS the row folds stacked and
/// read in diagonal order, null entries skipped; for IS the column folds stacked and read row by
/// row); `CopyDemand` walks a fold's ifmap demand element by element, skipping in O(1) every
/// demand row the window holds whole, and checks copies only for elements outside the window.
struct Im2colGeometry {
    enum Kind { case ws, os, `is` }
    let kind: Kind
    /// t: the streamed dimension (WS pixels, OS taps); r, c: array rows and columns.
    let t: Int, r: Int, c: Int, sr: Int
    let rowFolds: Int, rLast: Int, colFolds: Int, cLast: Int
    let oh: Int, ow: Int, kh: Int, kw: Int, ch: Int, stride: Int
    let line: Int

    /// Whether the layer's im2col input repeats elements (a kernel larger than its stride).
    static func repeats(_ l: ConvLayer) -> Bool { l.kernelH > l.stride || l.kernelW > l.stride }

    @inline(__always) static func tri(_ h: Int, _ w: Int, _ n: Int) -> Int {
        // (a, b) in [0, h) × [0, w) with a + b < n.
        guard h > 0, w > 0, n > 0 else { return 0 }
        @inline(__always) func t(_ m: Int) -> Int { m > 0 ? m * (m + 1) / 2 : 0 }
        return t(n) - t(n - h) - t(n - w) + t(n - h - w)
    }

    /// Valid entries of the stacked (rowFolds·t) × r matrix in rows ≥ g with row + col < n (the
    /// last fold's columns from rLast on are null).
    @inline(__always) func valid(from g: Int, below n: Int) -> Int {
        let m = rowFolds * t
        let all = Self.tri(m - g, r, n - g)
        let g0 = max(g, m - t)
        return all - Self.tri(m - g0, r - rLast, n - g0 - rLast)
    }

    /// Position in diagonal fetch order of entry (row g, column b) of the stacked matrix.
    @inline(__always) func diagonalPosition(_ g: Int, _ b: Int) -> Int {
        let d = g + b
        // Interior anti-diagonals (full width, before the last fold's null columns): the
        // diagonals before `d` hold r·d − r(r−1)/2 entries, and `d`'s entries come last row first,
        // so the entry in column b has b before it.
        if d >= r && d < rowFolds * t && d < (rowFolds - 1) * t + rLast { return r * d - r * (r - 1) / 2 + b }
        return valid(from: 0, below: d) + valid(from: g + 1, below: d + 1) - valid(from: g + 1, below: d)
    }

    /// Position in fetch order of the im2col entry (output pixel, tap).
    @inline(__always) func position(pixel: Int, tap: Int) -> Int {
        switch kind {
        case .ws: let q = tap / r; return diagonalPosition(q * t + pixel, tap - q * r)
        case .os: let q = pixel / r; return diagonalPosition(q * t + tap, pixel - q * r)
        case .is:
            let f = pixel / c, width = f == colFolds - 1 ? cLast : c
            return f * sr * c + tap * width + pixel % c
        }
    }

    /// The lines of every copy of the input element at (pixel, tap), its own first; the count.
    @inline(__always) func copyLines(pixel: Int, tap: Int, into out: UnsafeMutablePointer<Int>) -> Int {
        out[0] = position(pixel: pixel, tap: tap) / line
        var count = 1
        _ = forEachOtherCopy(pixel: pixel, tap: tap) { p in
            out[count] = p / line
            count += 1
            return false
        }
        return count
    }

    /// Whether `held` holds the fetch position of any other copy of the input element at
    /// (pixel, tap) (stops at the first).
    @inline(__always) func anyOtherCopy(pixel: Int, tap: Int, _ held: (Int) -> Bool) -> Bool {
        forEachOtherCopy(pixel: pixel, tap: tap, held)
    }

    /// Visits the fetch position of every other copy of the input element at (pixel, tap): the
    /// other output pixels whose window covers the same input element, with the tap it is there.
    /// Stops, and returns true, when `body` returns true.
    @inline(__always) func forEachOtherCopy(pixel: Int, tap: Int, _ body: (Int) -> Bool) -> Bool {
        // Divisions dominate this walk: each quotient is taken once and stride 1 needs none.
        let perImage = oh * ow
        let n = pixel / perImage, rem = pixel - n * perImage
        let oy = rem / ow, ox = rem - oy * ow
        let q = tap / ch, cc = tap - q * ch
        let fy = q / kw, fx = q - fy * kw
        let iy = oy * stride + fy, ix = ox * stride + fx
        let yLo: Int, yHi: Int, xLo: Int, xHi: Int
        if stride == 1 {
            (yLo, yHi, xLo, xHi) = (max(0, iy - kh + 1), min(oh - 1, iy), max(0, ix - kw + 1), min(ow - 1, ix))
        } else {
            (yLo, yHi) = (max(0, (iy - kh + stride) / stride), min(oh - 1, iy / stride))
            (xLo, xHi) = (max(0, (ix - kw + stride) / stride), min(ow - 1, ix / stride))
        }
        if yLo > yHi || xLo > xHi { return false }
        for y in yLo...yHi {
            let fy2 = iy - y * stride
            guard fy2 >= 0 && fy2 < kh else { continue }
            for x in xLo...xHi {
                let fx2 = ix - x * stride
                guard fx2 >= 0 && fx2 < kw, y != oy || x != ox else { continue }
                if body(position(pixel: n * perImage + y * ow + x, tap: (fy2 * kw + fx2) * ch + cc)) { return true }
            }
        }
        return false
    }

    var maxCopies: Int { ((kh + stride - 1) / stride) * ((kw + stride - 1) / stride) + 1 }
}

/// One fold's ifmap demand, element by element, with lookup by address.
struct CopyDemand {
    let g: Im2colGeometry
    /// Fold: WS/OS row fold `fold` of width `width`; IS column fold `fold`, row fold `rowFold`.
    let fold: Int, rowFold: Int, width: Int, height: Int, u0: Int
    var u = 0, k = 0
    var cached: Int?? = nil
    var scratch: [Int]

    init(_ g: Im2colGeometry, fold: Int, rowFold: Int = 0, width: Int, height: Int = 0, u0: Int) {
        self.g = g; self.fold = fold; self.rowFold = rowFold; self.width = width; self.height = height; self.u0 = u0
        scratch = [Int](repeating: 0, count: g.maxCopies)
    }

    var rowCount: Int { g.kind == .is ? height : g.t + width - 1 }

    /// Demand row `u`: its first element's fetch position and element count, and the element
    /// (pixel, tap) at index `i`.
    @inline(__always) func row(_ u: Int) -> (first: Int, count: Int, bmin: Int) {
        switch g.kind {
        case .is:
            let tap = rowFold * g.r + height - 1 - u
            return (fold * g.sr * g.c + tap * width, width, 0)
        default:
            let bmin = max(0, u - g.t + 1), bmax = min(width - 1, u)
            return (g.diagonalPosition(fold * g.t + u - bmin, bmin), bmax - bmin + 1, bmin)
        }
    }

    @inline(__always) func element(_ u: Int, _ b: Int) -> (pixel: Int, tap: Int) {
        switch g.kind {
        case .ws: return (u - b, fold * g.r + b)
        case .os: return (fold * g.r + b, u - b)
        case .is: return (fold * g.c + b, rowFold * g.r + height - 1 - u)
        }
    }

    /// Line `x`'s place in the window (held when below `active`); lines and the window start
    /// both lie in 0..<lines.
    @inline(__always) static func offset(_ x: Int, _ b: ScaleSimMemory.ReadBuffer) -> Int {
        let o = x - b.start
        return o < 0 ? o + b.lines : o
    }

    /// The window in fetch positions: position `p` is held when `(p − first) mod size < span`
    /// (the same test as its line's, without dividing by the line size).
    struct Span { let first: Int, span: Int, size: Int
        @inline(__always) func holds(_ p: Int) -> Bool { let o = p - first; return (o < 0 ? o + size : o) < span }
    }

    /// Whether the element at index `i` of row `u` (first position `p0`) is found in the window.
    @inline(__always) func hits(_ w: Span, _ u: Int, _ i: Int, _ p0: Int, _ bmin: Int) -> Bool {
        if w.holds(p0 + i) { return true }
        let e = element(u, bmin + i)
        return g.anyOtherCopy(pixel: e.pixel, tap: e.tap) { w.holds($0) }
    }

    /// The cycle (within the fold) of the next demand row holding an element the window misses.
    mutating func next(_ b: ScaleSimMemory.ReadBuffer) -> Int? {
        if let c = cached { return c }
        guard b.step > 0 else { cached = .some(nil); return nil }
        let w = Span(first: b.start * g.line, span: b.active * g.line, size: b.lines * g.line)
        while u < rowCount {
            let (p0, n, bmin) = row(u)
            let lo = Self.offset((p0 + k) / g.line, b), hi = Self.offset((p0 + n - 1) / g.line, b)
            if !(lo < b.active && hi < b.active && hi >= lo) {
                while k < n {
                    if !hits(w, u, k, p0, bmin) { cached = .some(u0 + u); return u0 + u }
                    k += 1
                }
            }
            u += 1; k = 0
        }
        cached = .some(nil)
        return nil
    }

    /// Serves the rest of the current demand row at time `tau`; the time it is served.
    mutating func fire(_ b: inout ScaleSimMemory.ReadBuffer, _ tau: Double) -> Double {
        var t = tau
        let (p0, n, bmin) = row(u)
        while k < n {
            if Self.offset((p0 + k) / g.line, b) >= b.active {
                let e = element(u, bmin + k)
                let geometry = g
                t = scratch.withUnsafeMutableBufferPointer { buf in
                    let c = geometry.copyLines(pixel: e.pixel, tap: e.tap, into: buf.baseAddress!)
                    return b.demandAny(UnsafeBufferPointer(start: buf.baseAddress!, count: c), t)
                }
            }
            k += 1
        }
        u += 1; k = 0
        cached = nil
        return t
    }
}
