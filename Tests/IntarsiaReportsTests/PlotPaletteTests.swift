import Testing
import IntarsiaReports

/// The palette's orders, written out here by hand from the rule (tab10; red, grey and olive set
/// aside for the scatter; bars: the rest, then olive, grey, red), are the colours the bundled
/// SVGs in results/ were drawn with.
@Suite struct PlotPaletteTests {
    let blue = "#1f77b4", orange = "#ff7f0e", green = "#2ca02c", red = "#d62728", purple = "#9467bd"
    let brown = "#8c564b", pink = "#e377c2", grey = "#7f7f7f", olive = "#bcbd22", cyan = "#17becf"

    @Test func ordersFollowTheDocumentedRule() {
        #expect(PlotPalette.lines == [blue, orange, green, red, purple, brown, pink, grey, olive, cyan])
        #expect(PlotPalette.series == [blue, orange, green, purple, brown, pink, cyan])
        #expect(PlotPalette.segments == [blue, orange, green, purple, brown, pink, cyan, olive, grey, red])
    }

    @Test func colorsCycle() {
        #expect(PlotPalette.color(7, of: PlotPalette.series) == blue)
        #expect(PlotPalette.color(12, of: PlotPalette.lines) == green)
        #expect(PlotPalette.color(9, of: PlotPalette.segments) == red)
    }

    /// The stacked bar colours segment k with the k-th segment colour.
    @Test func breakdownUsesTheSegmentOrder() {
        let svg = SVGPlot.breakdown(title: "t", unit: "cycles", segments: (0..<10).map { (label: "s\($0)", value: 1.0) })
        #expect(svg.contains("fill=\"\(olive)\" stroke=\"#ffffff\""))
        #expect(svg.contains("fill=\"\(red)\" stroke=\"#ffffff\""))
        #expect(svg.components(separatedBy: "stroke=\"#ffffff\"").count - 1 == 10)
    }
}
