import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import IntarsiaReports

@Suite struct LinePlotTests {
    /// Two series and a reference line: well-formed XML, one path per series through the pixel
    /// positions the linear axes give, the reference line at its value, the labels escaped.
    @Test func linesAndReference() throws {
        let svg = SVGPlot.lines(title: "a & b", xLabel: "evaluations", yLabel: "best", series: [
            (label: "evolution", color: "#ff7f0e", points: [(50, 200), (100, 210), (150, 214)]),
            (label: "random <floor>", color: "#1f77b4", points: [(50, 190), (100, 195)]),
        ], reference: (214.5, "optimum"))
        let doc = try XMLDocument(xmlString: svg)
        #expect(doc.rootElement()?.name == "svg")
        #expect(svg.contains("a &amp; b") && svg.contains("random &lt;floor&gt;"))
        // Each series' path starts at its first point: x from 50 (axis 45..155 after 5% padding of
        // the 50..150 range) and y from the 188.75..215.75 padded range of 190..214.5.
        let left = 90.0, width = 760.0 - 90 - 30, top = 50.0, height = 520.0 - 50 - 70
        let x = left + (50 - 45) / 110 * width
        let y = top + height - (200 - 188.775) / (215.725 - 188.775) * height
        #expect(svg.contains(String(format: "M%.1f %.1f", x, y)), "\(String(format: "M%.1f %.1f", x, y))")
        #expect(svg.components(separatedBy: "stroke-dasharray").count == 2)
        #expect(svg.components(separatedBy: "<path d=").count == 3)
    }
}
