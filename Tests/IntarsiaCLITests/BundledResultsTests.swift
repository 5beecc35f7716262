import Foundation
import Testing

/// The bundled FPGA results are what today's model makes of the bundled specs: every spec's
/// search, run again, writes its committed CSV byte for byte (scripts/reproduce-results.sh
/// made them; a model change that moves a figure must regenerate them and say why).
@Suite struct BundledResultsTests {
    static let specs: [String] = {
        let dir = CLI.root.appendingPathComponent("designs/intar")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "designs/intar/" + $0 } + ["designs/onnx/resnet18-zcu102.yaml"]
    }()

    @Test(arguments: specs)
    func searchReproducesTheCommittedCSV(spec: String) throws {
        let out = CLI.temp("bundled.csv")
        let r = try CLI.run(["search", spec, "-o", out, "--no-report", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let name = URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent
        let committed = try String(contentsOf: CLI.root.appendingPathComponent("results/\(name).csv"), encoding: .utf8)
        let fresh = try String(contentsOfFile: out, encoding: .utf8)
        #expect(fresh == committed, "\(spec): the search no longer writes results/\(name).csv")
    }
}
