import Foundation
import IntarsiaCore

/// Hand-written SVG charts (no plotting library fits a Swift command-line tool): a Pareto
/// scatter of two objectives and a stacked latency breakdown. Plain SVG 1.1 with inline styles,
/// so browsers and rasterisers (rsvg-convert, Chromium) render them the same.
public enum SVGPlot {
    /// One plotted design: (x, y, feasible, on the Pareto front, id).
    public typealias Point = (x: Double, y: Double, feasible: Bool, front: Bool, id: Int)

    /// Most points a Pareto plot draws; beyond it `thinned` keeps every Pareto design and an even
    /// sample of the rest (an SVG of 57,600 marks is 6 MB and slow to open).
    public static let plottedPointLimit = 4000

    /// Every front point, and of the others every k-th (in file order) so that at most `limit`
    /// points remain (the front alone may exceed it: it is never cut).
    public static func thinned(_ points: [Point], atMost limit: Int) -> [Point] {
        guard points.count > limit else { return points }
        let front = points.filter(\.front)
        let rest = points.count - front.count
        let room = max(0, limit - front.count)
        guard room > 0, rest > 0 else { return front }
        let stride = (rest + room - 1) / room
        var out = front
        var k = 0
        for p in points where !p.front {
            if k % stride == 0 { out.append(p) }
            k += 1
        }
        return out
    }

    public struct Series {
        public var label: String
        public var color: String
        /// (x, y, feasible, onFront, id)
        public var points: [(x: Double, y: Double, feasible: Bool, front: Bool, id: Int)]
        public init(label: String, color: String, points: [(x: Double, y: Double, feasible: Bool, front: Bool, id: Int)]) {
            self.label = label
            self.color = color
            self.points = points
        }
    }

    /// Axis label with units for a CSV column.
    public static func axisLabel(_ column: String) -> String {
        switch column {
        case "latency_ms": return "latency (ms)"
        case "latency_cycles": return "latency (cycles)"
        case "dsp": return "DSP slices"
        case "bram18k": return "BRAM18K blocks"
        case "uram": return "URAM blocks"
        case "lut": return "LUTs"
        case "ff": return "flip-flops"
        case "offchip_bytes": return "off-chip traffic (bytes)"
        case "power_w": return "power (W)"
        case "energy_mj": return "energy per inference (mJ)"
        case "throughput_per_s": return "throughput (inferences/s)"
        default: return column
        }
    }

    public static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func tickText(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 || a < 1e-2 { return String(format: "%.1e", v) }
        if a >= 100 { return String(format: "%.0f", v) }
        if a >= 1 { return String(format: "%.3g", v) }
        return String(format: "%.2g", v)
    }

    /// An axis: linear, or logarithmic when the data span more than two decades.
    struct Axis {
        var lo: Double, hi: Double, log: Bool
        init(_ values: [Double], allowLog: Bool = true) {
            let finite = values.filter { $0.isFinite }
            var lo = finite.min() ?? 0, hi = finite.max() ?? 1
            let positive = lo > 0
            log = allowLog && positive && hi / lo > 100
            if log {
                lo = pow(10, Foundation.log10(lo).rounded(.down))
                hi = pow(10, Foundation.log10(hi).rounded(.up))
            } else {
                if hi == lo { hi = lo + max(abs(lo) * 0.1, 1); lo -= max(abs(lo) * 0.1, 1) }
                let pad = (hi - lo) * 0.05
                lo -= pad
                hi += pad
                if lo < 0 && (finite.min() ?? 0) >= 0 { lo = 0 }
            }
            self.lo = lo
            self.hi = hi
        }
        func unit(_ v: Double) -> Double {
            log ? (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo)) : (v - lo) / (hi - lo)
        }
        var ticks: [Double] {
            if log {
                var t: [Double] = []
                var v = lo
                while v <= hi * 1.0001 { t.append(v); v *= 10 }
                return t
            }
            let raw = (hi - lo) / 5
            let mag = pow(10, Foundation.log10(raw).rounded(.down))
            let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
            var v = (lo / step).rounded(.up) * step
            var t: [Double] = []
            while v <= hi + step * 1e-9 { t.append(v); v += step }
            return t
        }
    }

    /// A scatter of two objectives: feasible designs filled, infeasible ones as grey crosses, each
    /// series' Pareto front joined by a line, and one design labelled.
    /// `workers` threads draw the points' marks (stretches of points, joined in order: the same
    /// text for any number).
    public static func pareto(title: String, xColumn: String, yColumn: String, series: [Series], chosen: (x: Double, y: Double, label: String)?,
                              workers: Int = 1) -> String {
        let all = series.flatMap(\.points)
        let plot = Frame(title: title, xLabel: axisLabel(xColumn), yLabel: axisLabel(yColumn), x: Axis(all.map(\.x)), y: Axis(all.map(\.y)))
        let w = plot.w, right = plot.right, top = plot.top
        func px(_ x: Double) -> Double { plot.px(x) }
        func py(_ y: Double) -> Double { plot.py(y) }
        var s = plot.svgStart
        for sr in series {
            // Each stretch's infeasible crosses and feasible dots; all crosses come first.
            let points = sr.points, color = sr.color, n = points.count, stretches = n < 256 ? 1 : min(n, 4 * max(1, workers))
            let marks = Parallel.map(stretches, workers: workers) { k -> (crosses: String, dots: String) in
                var crosses = "", dots = ""
                for p in points[k * n / stretches..<(k + 1) * n / stretches] {
                    let x = plot.px(p.x), y = plot.py(p.y)
                    if p.feasible {
                        dots += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(color)\" fill-opacity=\"0.45\"/>\n"
                    } else {
                        crosses += "<path d=\"M\(f(x - 3)) \(f(y - 3)) L\(f(x + 3)) \(f(y + 3)) M\(f(x - 3)) \(f(y + 3)) L\(f(x + 3)) \(f(y - 3))\" stroke=\"#b0b0b0\" stroke-width=\"1.2\"/>\n"
                    }
                }
                return (crosses, dots)
            }
            for m in marks { s += m.crosses }
            for m in marks { s += m.dots }
            let front = sr.points.filter(\.front).sorted { ($0.x, $0.y) < ($1.x, $1.y) }
            if front.count > 1 {
                let d = front.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(px($0.element.x))) \(f(py($0.element.y)))" }.joined(separator: " ")
                s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(sr.color)\" stroke-width=\"2\"/>\n"
            }
            for p in front { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"4.5\" fill=\"\(sr.color)\" stroke=\"#000000\" stroke-width=\"0.8\"/>\n" }
        }
        if let c = chosen {
            let x = px(c.x), y = py(c.y)
            s += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"8\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n"
            s += "<text x=\"\(f(x + 11))\" y=\"\(f(y - 9))\" fill=\"#d62728\" font-weight=\"bold\">\(esc(c.label))</text>\n"
        }
        // Legend.
        var ly = top + 16
        for sr in series {
            s += "<circle cx=\"\(f(w - right - 180))\" cy=\"\(f(ly - 4))\" r=\"4.5\" fill=\"\(sr.color)\" stroke=\"#000000\" stroke-width=\"0.8\"/>"
            s += "<text x=\"\(f(w - right - 170))\" y=\"\(f(ly))\">\(esc(sr.label)) (front joined)</text>\n"
            ly += 16
        }
        s += "<path d=\"M\(f(w - right - 183)) \(f(ly - 7)) L\(f(w - right - 177)) \(f(ly - 1)) M\(f(w - right - 183)) \(f(ly - 1)) L\(f(w - right - 177)) \(f(ly - 7))\" stroke=\"#b0b0b0\" stroke-width=\"1.2\"/>"
        s += "<text x=\"\(f(w - right - 170))\" y=\"\(f(ly))\">infeasible</text>\n"
        s += "</svg>\n"
        return s
    }

    /// The frame of a plot: title, box, grid, ticks and axis labels, and the mapping from data to
    /// pixels.
    struct Frame {
        let w = 760.0, h = 520.0, left = 90.0, right = 30.0, top = 50.0, bottom = 70.0
        var title: String, xLabel: String, yLabel: String
        var x: Axis, y: Axis
        func px(_ v: Double) -> Double { left + x.unit(v) * (w - left - right) }
        func py(_ v: Double) -> Double { h - bottom - y.unit(v) * (h - top - bottom) }
        var svgStart: String {
            var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect x="0" y="0" width="\(Int(w))" height="\(Int(h))" fill="#ffffff"/>
            <text x="\(Int(w / 2))" y="28" text-anchor="middle" font-size="16" font-weight="bold">\(esc(title))</text>
            <rect x="\(left)" y="\(top)" width="\(w - left - right)" height="\(h - top - bottom)" fill="none" stroke="#444444"/>

            """
            for t in x.ticks where t >= x.lo && t <= x.hi {
                let xp = px(t)
                s += "<line x1=\"\(f(xp))\" y1=\"\(f(h - bottom))\" x2=\"\(f(xp))\" y2=\"\(f(top))\" stroke=\"#e6e6e6\"/>"
                s += "<text x=\"\(f(xp))\" y=\"\(f(h - bottom + 18))\" text-anchor=\"middle\">\(tickText(t))</text>\n"
            }
            for t in y.ticks where t >= y.lo && t <= y.hi {
                let yp = py(t)
                s += "<line x1=\"\(f(left))\" y1=\"\(f(yp))\" x2=\"\(f(w - right))\" y2=\"\(f(yp))\" stroke=\"#e6e6e6\"/>"
                s += "<text x=\"\(f(left - 8))\" y=\"\(f(yp + 4))\" text-anchor=\"end\">\(tickText(t))</text>\n"
            }
            s += "<text x=\"\(f((left + w - right) / 2))\" y=\"\(f(h - 22))\" text-anchor=\"middle\" font-size=\"13\">\(esc(xLabel))\(x.log ? " (log scale)" : "")</text>\n"
            s += "<text x=\"20\" y=\"\(f((top + h - bottom) / 2))\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 20 \(f((top + h - bottom) / 2)))\">\(esc(yLabel))\(y.log ? " (log scale)" : "")</text>\n"
            return s
        }
    }

    /// Lines of y against x, one per series (a search's best-so-far against evaluations), with an
    /// optional horizontal reference line (a proven optimum), dashed and labelled.
    public static func lines(title: String, xLabel: String, yLabel: String, series: [(label: String, color: String, points: [(x: Double, y: Double)])],
                             reference: (y: Double, label: String)?) -> String {
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) } + (reference.map { [$0.y] } ?? [])
        // Linear axes: the interesting part is near the optimum.
        let plot = Frame(title: title, xLabel: xLabel, yLabel: yLabel, x: Axis(xs, allowLog: false), y: Axis(ys, allowLog: false))
        var s = plot.svgStart
        if let r = reference {
            let y = plot.py(r.y)
            s += "<line x1=\"\(f(plot.left))\" y1=\"\(f(y))\" x2=\"\(f(plot.w - plot.right))\" y2=\"\(f(y))\" stroke=\"#000000\" stroke-dasharray=\"6 4\"/>"
            s += "<text x=\"\(f(plot.left + 6))\" y=\"\(f(y - 6))\">\(esc(r.label))</text>\n"
        }
        for sr in series where !sr.points.isEmpty {
            let d = sr.points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(plot.px($0.element.x))) \(f(plot.py($0.element.y)))" }.joined(separator: " ")
            s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(sr.color)\" stroke-width=\"2\"/>\n"
        }
        var ly = plot.h - plot.bottom - 12 - 16 * Double(series.count - 1)
        for sr in series {
            s += "<line x1=\"\(f(plot.w - plot.right - 190))\" y1=\"\(f(ly - 4))\" x2=\"\(f(plot.w - plot.right - 172))\" y2=\"\(f(ly - 4))\" stroke=\"\(sr.color)\" stroke-width=\"2\"/>"
            s += "<text x=\"\(f(plot.w - plot.right - 166))\" y=\"\(f(ly))\">\(esc(sr.label))</text>\n"
            ly += 16
        }
        return s + "</svg>\n"
    }

    /// One horizontal bar stacked by stage (each stage's share of the latency), labelled with its
    /// tasks; the bar's length is the whole latency.
    public static func breakdown(title: String, unit: String, segments: [(label: String, value: Double)]) -> String {
        let w = 760.0, left = 30.0, right = 30.0, barTop = 60.0, barHeight = 46.0
        let total = max(segments.reduce(0) { $0 + $1.value }, 1e-12)
        let legendRows = segments.count
        let h = barTop + barHeight + 40 + Double(legendRows) * 18 + 20
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect x="0" y="0" width="\(Int(w))" height="\(Int(h))" fill="#ffffff"/>
        <text x="\(Int(w / 2))" y="28" text-anchor="middle" font-size="16" font-weight="bold">\(esc(title))</text>

        """
        var x = left
        let scale = (w - left - right) / total
        for (k, seg) in segments.enumerated() {
            let width = max(seg.value * scale, 0.5)
            s += "<rect x=\"\(f(x))\" y=\"\(f(barTop))\" width=\"\(f(width))\" height=\"\(f(barHeight))\" fill=\"\(PlotPalette.color(k, of: PlotPalette.segments))\" stroke=\"#ffffff\"/>\n"
            if width > 30 { s += "<text x=\"\(f(x + width / 2))\" y=\"\(f(barTop + barHeight / 2 + 4))\" text-anchor=\"middle\" fill=\"#ffffff\">\(k)</text>\n" }
            x += width
        }
        s += "<text x=\"\(f(left))\" y=\"\(f(barTop + barHeight + 18))\">0</text>"
        s += "<text x=\"\(f(w - right))\" y=\"\(f(barTop + barHeight + 18))\" text-anchor=\"end\">\(tickText(total)) \(esc(unit))</text>\n"
        var ly = barTop + barHeight + 44
        for (k, seg) in segments.enumerated() {
            s += "<rect x=\"\(f(left))\" y=\"\(f(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(PlotPalette.color(k, of: PlotPalette.segments))\"/>"
            s += "<text x=\"\(f(left + 18))\" y=\"\(f(ly))\">\(k): \(esc(seg.label)) — \(tickText(seg.value)) \(esc(unit)) (\(String(format: "%.1f", seg.value / total * 100))%)</text>\n"
            ly += 18
        }
        s += "</svg>\n"
        return s
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
