import Foundation
import Testing
import IntarsiaHLS

/// The csynth.xml and cosim.rpt readers on real public reports and on the hand-written ones; the
/// expected figures were read off the fixture files by hand (Fixtures/README.md).
struct ReportParsingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }

    @Test func hls4mlVivado2020Report() throws {
        // Fixtures/public/hls4ml-myproject_csynth.xml, lines 4-42: Version 2020.1, TopModelName
        // myproject, Worst-caseLatency 10, Interval-max 8, BRAM_18K 0, DSP48E 73, FF 7969, LUT 2532, URAM 0.
        let r = try CSynthReport.read(path: Self.path("public/hls4ml-myproject_csynth.xml"))
        #expect(r.version == "2020.1")
        #expect(r.topModelName == "myproject")
        #expect(r.part == "xc7z020-clg400-1")
        #expect(r.worstLatencyCycles == 10)
        #expect(r.intervalMaxCycles == 8)
        #expect(r.dsp == 73)  // DSP48E: the name before Vitis 2020.2
        #expect(r.bram18k == 0)
        #expect(r.uram == 0)
        #expect(r.lut == 2532)
        #expect(r.ff == 7969)
    }

    /// Public reports with no licence stated, fetched (not committed) by
    /// scripts/fetch-csynth-fixtures.sh into Fixtures/unlicensed/; checked when present.
    static var unlicensedPresent: Bool { FileManager.default.fileExists(atPath: path("unlicensed/ArdaAsci-hls_project-csynth.xml")) }

    @Test(.enabled(if: ReportParsingTests.unlicensedPresent)) func vitis2021ReportWithModuleInformation() throws {
        // 2021.1, matrixmul: Worst-caseLatency 35, Interval-max 36, DSP 3, FF 79, LUT 506,
        // BRAM_18K 0, URAM 0; its ModuleInformation repeats these names per sub-module (21
        // cycles, 2 DSP for matrixmul_Pipeline_Row_Col), which must not be read for the top.
        let r = try CSynthReport.read(path: Self.path("unlicensed/ArdaAsci-hls_project-csynth.xml"))
        #expect(r.version == "2021.1" && r.topModelName == "matrixmul")
        #expect(r.worstLatencyCycles == 35 && r.intervalMaxCycles == 36)
        #expect(r.dsp == 3 && r.ff == 79 && r.lut == 506 && r.bram18k == 0 && r.uram == 0)
    }

    @Test(.enabled(if: ReportParsingTests.unlicensedPresent)) func vitis2022ReportWithLoopRanges() throws {
        // 2022.2, Conv2D_HW: Worst-caseLatency 2777585401, Interval-max 2777585402, BRAM_18K 60,
        // DSP 132, FF 20732, LUT 16557, URAM 0 (loop latencies as <range> elements, not read).
        let r = try CSynthReport.read(path: Self.path("unlicensed/stavshulman-Lab_HW_SW_CNN_Dogs_Cats_2026-csynth.xml"))
        #expect(r.version == "2022.2" && r.topModelName == "Conv2D_HW")
        #expect(r.worstLatencyCycles == 2_777_585_401 && r.intervalMaxCycles == 2_777_585_402)
        #expect(r.bram18k == 60 && r.dsp == 132 && r.ff == 20732 && r.lut == 16557 && r.uram == 0)
    }

    @Test func handWrittenModuleReport() throws {
        let r = try CSynthReport.read(path: Self.path("mlp-small-dataflow/syn/report/task_fc2_csynth.xml"))
        #expect(r.topModelName == "task_fc2")
        #expect(r.worstLatencyCycles == 1050 && r.intervalMaxCycles == 1051)
        #expect(r.dsp == 11 && r.bram18k == 8 && r.uram == 0 && r.lut == 3980 && r.ff == 4620)
    }

    @Test func undefLatencyIsUnknownNotAnError() throws {
        let text = try String(contentsOfFile: Self.path("mlp-small-dataflow/syn/report/task_fc1_csynth.xml"), encoding: .utf8)
            .replacingOccurrences(of: "<Worst-caseLatency>1104</Worst-caseLatency>", with: "<Worst-caseLatency>undef</Worst-caseLatency>")
        let r = try CSynthReport.parse(text, file: "x.xml")
        #expect(r.worstLatencyCycles == nil)
        #expect(r.intervalMaxCycles == 1105)
    }

    @Test func missingAndWrongFieldsNameTheFileAndField() throws {
        let good = try String(contentsOfFile: Self.path("mlp-small-dataflow/syn/report/task_fc1_csynth.xml"), encoding: .utf8)
        let noLUT = good.replacingOccurrences(of: "<LUT>1210</LUT>", with: "")
        #expect(throws: CSynthReport.ReadError(file: "a.xml", reason: "missing field AreaEstimates/Resources/LUT")) { try CSynthReport.parse(noLUT, file: "a.xml") }
        let badDSP = good.replacingOccurrences(of: "<DSP>1</DSP>", with: "<DSP>1.5</DSP>")
        #expect(throws: CSynthReport.ReadError(file: "b.xml", reason: "field AreaEstimates/Resources/DSP is '1.5'; a count was expected")) { try CSynthReport.parse(badDSP, file: "b.xml") }
        #expect(throws: CSynthReport.ReadError(file: "c.xml", reason: "root element <report>; a Vitis HLS csynth.xml has <profile>")) { try CSynthReport.parse("<report/>", file: "c.xml") }
        #expect(throws: CSynthReport.ReadError(file: "/no/such.xml", reason: "no such file (Vitis HLS writes it with csynth_design; run the vendor flow first)")) { try CSynthReport.read(path: "/no/such.xml") }
    }

    @Test func malformedXMLGivesTheLine() {
        func reason(_ text: String) -> String? {
            do { _ = try ReportXML.parse(text); return nil } catch { return (error as? ReportXML.Malformed)?.description }
        }
        #expect(reason("<profile>\n<a>1</b>\n</profile>") == "malformed XML at line 2: </b> closes <a>")
        #expect(reason("<profile>\n<a>1</a>\n") == "malformed XML at line 3: <profile> is never closed")
        #expect(reason("<profile/>\n<profile/>") == "malformed XML at line 2: a second root element")
        #expect(reason("") == "malformed XML at line 1: no root element (empty document)")
        #expect(reason("<a>x &nbsp; y</a>") == "malformed XML at line 1: unknown entity &nbsp;")
        #expect(reason("<a b=1/>") == "malformed XML at line 1: attribute b of <a>: a quoted value was expected")
    }

    /// A corrupt file of endlessly nested elements is refused with the line, not a stack overflow
    /// (the reader recurses per element); 256 levels still read.
    @Test func deepNestingIsRefusedNotACrash() throws {
        let deep = String(repeating: "<a>\n", count: 200_000)
        do {
            _ = try ReportXML.parse(deep)
            Issue.record("200,000 nested elements were read")
        } catch let e as ReportXML.Malformed {
            #expect(e.line == 257 && e.reason == "elements nested deeper than 256 (a Vitis HLS report nests a few levels)")
        }
        let fine = String(repeating: "<a>", count: 256) + "x" + String(repeating: "</a>", count: 256)
        var e = try ReportXML.parse(fine)
        for _ in 1..<256 { e = try #require(e.child("a")) }
        #expect(e.text == "x" && e.children.isEmpty)
    }

    @Test func xmlEntitiesAttributesAndComments() throws {
        let x = try ReportXML.parse("<?xml version=\"1.0\"?>\n<!-- c -->\n<p k='v&amp;w'><n>a &lt; b &#65;&#x42;</n><e/></p>")
        #expect(x.attributes["k"] == "v&w")
        #expect(x.child("n")?.text == "a < b AB")
        #expect(x.child("e")?.children.isEmpty == true)
    }

    @Test func cosimReportPassingRow() throws {
        // Fixtures/mlp-small-dataflow/sim/report/intarsia_top_cosim.rpt: Verilog Pass, latency
        // 2671 / 2671 / 2671, interval NA (one transaction).
        let r = try CosimReport.read(path: Self.path("mlp-small-dataflow/sim/report/intarsia_top_cosim.rpt"))
        #expect(r == CosimReport(rtl: "Verilog", latencyAvgCycles: 2671, intervalAvgCycles: nil))
    }

    /// Cycles and counts are finite and not negative: "nan", "inf" and "-5" are refused, not
    /// compared (Double's parser takes all three).
    @Test func nonFiniteOrNegativeFiguresAreRefused() throws {
        let rpt = try String(contentsOfFile: Self.path("mlp-small-dataflow/sim/report/intarsia_top_cosim.rpt"), encoding: .utf8)
        for bad in ["nan", "inf", "-5"] {
            let text = rpt.replacingOccurrences(of: "|      Pass|           2671|           2671|", with: "|      Pass|           2671|\(bad)|")
            #expect(throws: CSynthReport.ReadError(file: "r.rpt", reason: "the Verilog row's average latency is '\(bad)'; cycles were expected")) { try CosimReport.parse(text, file: "r.rpt") }
        }
        let xml = try String(contentsOfFile: Self.path("mlp-small-dataflow/syn/report/task_fc1_csynth.xml"), encoding: .utf8)
        for bad in ["inf", "nan", "-1104"] {
            let text = xml.replacingOccurrences(of: "<Worst-caseLatency>1104</Worst-caseLatency>", with: "<Worst-caseLatency>\(bad)</Worst-caseLatency>")
            #expect(throws: CSynthReport.ReadError(file: "x.xml", reason: "field PerformanceEstimates/SummaryOfOverallLatency/Worst-caseLatency is '\(bad)'; a whole number of cycles or 'undef' was expected")) {
                try CSynthReport.parse(text, file: "x.xml")
            }
        }
        let lut = xml.replacingOccurrences(of: "<LUT>1210</LUT>", with: "<LUT>inf</LUT>")
        #expect(throws: CSynthReport.ReadError(file: "y.xml", reason: "field AreaEstimates/Resources/LUT is 'inf'; a count was expected")) { try CSynthReport.parse(lut, file: "y.xml") }
    }

    @Test func cosimReportWithoutAPass() throws {
        let text = try String(contentsOfFile: Self.path("mlp-small-dataflow/sim/report/intarsia_top_cosim.rpt"), encoding: .utf8)
            .replacingOccurrences(of: "|      Pass|", with: "|      Fail|")
        #expect(throws: CSynthReport.ReadError(file: "r.rpt", reason: "no RTL passed co-simulation (VHDL NA, Verilog Fail)")) { try CosimReport.parse(text, file: "r.rpt") }
        #expect(throws: CSynthReport.ReadError(file: "s.rpt", reason: "no VHDL or Verilog row; not a co-simulation report")) { try CosimReport.parse("hello\n", file: "s.rpt") }
    }
}
