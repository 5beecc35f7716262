import Foundation
import IntarsiaASIC
import IntarsiaCore
import IntarsiaReports
import IntarsiaRows
import IntarsiaSpec

/// `intarsia search` and `evaluate` for ASIC specs (`platform: {asic: ...}`): every design of
/// the space, each network placed on its best sub-accelerator, a CSV and a Pareto plot.
public enum ASICJob {
    public static func isASIC(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return false }
        return ASICDesignSpec.isASIC(text: text)
    }

    public static func load(_ path: String, dataflows: ASICDataflows = .builtin) throws -> ASICDesignSpec {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw UserError("\(path): cannot be read")
        }
        return try ASICDesignSpec.parse(text: text, file: path, dataflows: dataflows)
    }

    /// One line of an ASIC design CSV: a design and whether it is on the Pareto front.
    struct Row: Sendable {
        var design: ASICDesign
        var pareto: Bool
    }

    /// The ASIC design CSV's columns (docs/CSV.md): per sub-accelerator its dataflow, shape and
    /// memories, then the assignment and the design's figures.
    static func columns(_ spec: ASICDesignSpec) -> Columns<Row> {
        // Figures to 6 significant digits, written as bytes (`FieldBytes`).
        func g<T>(_ name: String, _ value: @escaping @Sendable (T) -> Double) -> Column<T> {
            Column(name) { (r: T, out: inout [UInt8]) in FieldBytes.appendSignificant(value(r), 6, to: &out) }
        }
        func int<T>(_ name: String, _ value: @escaping @Sendable (T) -> Int) -> Column<T> {
            Column(name) { (r: T, out: inout [UInt8]) in FieldBytes.appendInt(value(r), to: &out) }
        }
        let networks = spec.space.networks.map(\.name)
        let accelerators = (0..<spec.space.accelerators.count).flatMap { i -> [Column<Row>] in
            func acc(_ column: Column<ASICAccelerator>) -> Column<Row> {
                Column("acc\(i)_\(column.name)") { (r: Row, out: inout [UInt8]) in column.write(r.design.accelerators[i], &out) }
            }
            return [acc(Column("dataflow") { $0.dataflow.rawValue }), acc(int("rows") { $0.rows }), acc(int("columns") { $0.columns }),
                    acc(int("pes") { $0.processingElements }), acc(g("buffer_kib") { $0.bufferKiB }), acc(g("bandwidth") { $0.dramBytesPerCycle }),
                    acc(Column("noc_elements_per_cycle") { (a: ASICAccelerator, out: inout [UInt8]) in
                        if a.nocElementsPerCycle.isFinite { FieldBytes.appendSignificant(a.nocElementsPerCycle, 6, to: &out) } else { FieldBytes.appendText("unbounded", to: &out) }
                    }), acc(g("l1_bytes") { $0.l1Bytes })]
        }
        let figures: [Column<Row>] = [
            Column("assignment") { zip(networks, $0.design.assignment).map { "\($0):\($1)" }.joined(separator: " ") },
            Column("latency_cycles") { (r: Row, out: inout [UInt8]) in FieldBytes.appendInt(Int64(r.design.latencyCycles.rounded()), to: &out) },
            g("latency_ms") { $0.design.latencyMs },
            g("energy_mj") { $0.design.energyMJ },
            g("area_mm2") { $0.design.areaMM2 },
            g("power_w") { $0.design.powerW },
            Column("utilization") { (r: Row, out: inout [UInt8]) in FieldBytes.appendSignificant(r.design.utilization, 4, to: &out) },
            int("pes") { $0.design.accelerators.reduce(0) { $0 + $1.processingElements } },
            Column("feasible") { (r: Row, out: inout [UInt8]) in FieldBytes.appendFlag(r.design.feasible, to: &out) },
            Column("violations") { $0.design.violations.joined(separator: "; ") },
            Column("pareto") { (r: Row, out: inout [UInt8]) in FieldBytes.appendFlag(r.pareto, to: &out) },
        ]
        return Columns([int("id") { $0.design.id }] + accelerators + figures)
    }

    /// The best designs as the terminal shows them, ranked.
    static func topColumns(_ spec: ASICDesignSpec) -> Columns<(rank: Int, row: Row)> {
        let networks = spec.space.networks.map(\.name)
        return Columns([
            Column("rank") { String($0.rank) },
            Column("id") { String($0.row.design.id) },
            Column("accelerators") { $0.row.design.accelerators.map { "\($0.dataflow.rawValue) \($0.rows)x\($0.columns)" }.joined(separator: " + ") },
            Column("assignment") { zip(networks, $0.row.design.assignment).map { "\($0):\($1)" }.joined(separator: " ") },
            Column("latency_ms") { Figures.fixed($0.row.design.latencyMs, 4) },
            Column("energy_mj") { String(format: "%.4g", $0.row.design.energyMJ) },
            Column("area_mm2") { Figures.fixed($0.row.design.areaMM2, 3) },
            Column("power_w") { Figures.fixed($0.row.design.powerW, 3) },
            Column("pareto") { $0.row.pareto ? "yes" : "" },
        ])
    }

    /// `workers` threads (nil: all cores) evaluate the designs and format their rows; the CSV is
    /// the same for any number.
    public static func search(specPath: String, output: String?, workers: Int? = nil, dataflows: ASICDataflows = .builtin,
                              stderr: (String) -> Void) throws -> String {
        let workers = workers ?? Parallel.allCores
        let spec = try load(specPath, dataflows: dataflows)
        let path = output ?? spec.outputPath
        // The output protocol: checked and locked before any work, CSV and plot replaced together.
        do { try OutputPath.check(path, option: output != nil ? "-o" : "\(spec.file): output.path") } catch let e as OutputError { throw UserError(e.description) }
        let lock: OutputLock
        do { lock = try OutputLock(path: path) } catch let e as OutputError { throw UserError(e.description) }
        defer { lock.release() }
        let start = Date()
        let (designs, front) = ASICExplorer.explore(spec.space, clockMHz: spec.clockMHz, constraints: spec.constraints, objectives: spec.objectives,
                                                    workers: workers)
        let columns = columns(spec)
        // Runs of rows, a few per worker, each formatted into bytes on a worker and joined in
        // order: no serial pass over the rows' lines.
        let n = designs.count, runs = n < 1024 ? 1 : min(n, 4 * workers)
        let texts = Parallel.map(runs, workers: workers) { k in
            var bytes: [UInt8] = []
            for i in k * n / runs..<(k + 1) * n / runs { columns.appendCSVLine(Row(design: designs[i], pareto: front.contains(designs[i].id)), to: &bytes) }
            return bytes
        }
        var staged = StagedFiles()
        try staged.stage(bytes: Array((CSV.line(columns.header) + "\n").utf8) + texts.joined(), to: path)
        let x = spec.objectives[0], y = spec.objectives.count > 1 ? spec.objectives[1] : .areaMM2
        let points = designs.map { (x: x.value($0), y: y.value($0), feasible: $0.feasible, front: front.contains($0.id), id: $0.id) }
        let svgPath = (path.hasSuffix(".csv") ? String(path.dropLast(4)) : path) + ".pareto.svg"
        try staged.stage(SVGPlot.pareto(title: "\(spec.name): \(y.rawValue) against \(x.rawValue)", xColumn: x.rawValue, yColumn: y.rawValue,
                                        series: [SVGPlot.Series(label: "\(designs.count) designs", color: PlotPalette.series[0], points: points)], chosen: nil,
                                        workers: workers), to: svgPath)
        do { try staged.commit(removingFirst: [svgPath]) } catch { staged.discard(); throw error }
        let feasible = designs.filter(\.feasible)
        stderr("exhaustive: \(designs.count) ASIC designs evaluated, \(feasible.count) feasible, Pareto front \(front.count), \(String(format: "%.2f", Date().timeIntervalSince(start))) s; wrote \(path)\n")
        if feasible.isEmpty {
            var counts: [String: Int] = [:]
            for d in designs { for v in d.violations { counts[String(v.prefix { $0 != " " }), default: 0] += 1 } }
            let binding = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "constraints"
            throw UserError("\(spec.file): constraints: no design of the \(designs.count) meets them; the binding one is \(binding). Results are in \(path)")
        }
        // The objective looked up once per design, ties in id order (what the stable sort gave).
        let key = feasible.map { x.value($0) }
        let best = feasible.indices.sorted { (key[$0], $0) < (key[$1], $1) }.prefix(spec.top).map { feasible[$0] }
        return topColumns(spec).table(best.enumerated().map { k, d in (k + 1, Row(design: d, pareto: front.contains(d.id))) })
    }

    /// One design (the first value of every knob, or design `id`), with every layer's figures.
    public static func evaluate(specPath: String, id: Int?, json: Bool, workers: Int = Parallel.allCores) throws -> String {
        let spec = try load(specPath)
        let index = id ?? 0
        guard index >= 0 && index < spec.space.count else { throw UserError("--design \(index): the space has designs 0 to \(spec.space.count - 1)") }
        let accs = spec.space.design(index)
        let d = ASICExplorer.evaluate(spec.space, accs, id: index, clockMHz: spec.clockMHz, constraints: spec.constraints, layerWorkers: workers)
        struct LayerRow: Codable {
            var network: String, accelerator: Int, layer: String, macs: Int, computeCycles: Double, stallCycles: Double, utilization: Double
            var energyPicojoules: Double, macPJ: Double, registerFilePJ: Double, nocPJ: Double, bufferPJ: Double, dramPJ: Double, dramBytes: Double
            /// Elements per tensor between the global buffer and the PEs.
            var bufferInputReads: Double, bufferWeightReads: Double, bufferOutputWrites: Double, bufferPartialSumReads: Double
            /// Elements per tensor between DRAM and the global buffer.
            var dramInputReads: Double, dramWeightReads: Double, dramOutputWrites: Double, dramPartialSumReads: Double
        }
        var rows: [LayerRow] = []
        for (n, a) in zip(spec.space.networks, d.assignment) {
            let layers = n.layers, acc = accs[a], tech = spec.space.technology
            for (l, c) in zip(layers, Parallel.map(layers.count, workers: workers) { ASICModel.cost(layers[$0], on: acc, technology: tech) }) {
                rows.append(LayerRow(network: n.name, accelerator: a, layer: l.name, macs: l.macs, computeCycles: c.computeCycles, stallCycles: c.stallCycles,
                                     utilization: c.utilization, energyPicojoules: c.energyPicojoules, macPJ: c.macPicojoules, registerFilePJ: c.registerFilePicojoules,
                                     nocPJ: c.nocPicojoules, bufferPJ: c.bufferPicojoules, dramPJ: c.dramPicojoules, dramBytes: c.dramBytes,
                                     bufferInputReads: c.buffer.inputReads, bufferWeightReads: c.buffer.weightReads,
                                     bufferOutputWrites: c.buffer.outputWrites, bufferPartialSumReads: c.buffer.partialSumReads,
                                     dramInputReads: c.offChip.inputReads, dramWeightReads: c.offChip.weightReads,
                                     dramOutputWrites: c.offChip.outputWrites, dramPartialSumReads: c.offChip.partialSumReads))
            }
        }
        if json {
            struct Report: Codable { var design: Int; var accelerators: [String]; var latencyCycles: Double; var latencyMs: Double; var energyMJ: Double
                var areaMM2: Double; var powerW: Double; var feasible: Bool; var violations: [String]; var layers: [LayerRow] }
            let r = Report(design: index, accelerators: accs.map { "\($0.dataflow.rawValue) \($0.rows)x\($0.columns) \($0.bufferKiB) KiB \($0.dramBytesPerCycle) B/cycle" },
                           latencyCycles: d.latencyCycles, latencyMs: d.latencyMs, energyMJ: d.energyMJ, areaMM2: d.areaMM2, powerW: d.powerW,
                           feasible: d.feasible, violations: d.violations, layers: rows)
            return try JSONText.pretty(r) + "\n"
        }
        var s = "design \(index): " + accs.enumerated().map { "sub\($0.offset) \($0.element.dataflow.rawValue) \($0.element.rows)x\($0.element.columns)" }.joined(separator: ", ") + "\n"
        s += String(format: "latency %.0f cycles, %.4f ms; energy %.4g mJ; area %.3f mm²; power %.3f W; %@\n", d.latencyCycles, d.latencyMs, d.energyMJ, d.areaMM2, d.powerW,
                    d.feasible ? "feasible" : "infeasible: " + d.violations.joined(separator: "; "))
        s += TextTable.render(header: ["network", "sub", "layer", "macs", "compute", "stall", "util", "energy_pJ", "mac", "rf", "noc", "buffer", "dram"],
                              rows: rows.map { r in [r.network, String(r.accelerator), r.layer, String(r.macs), String(Int64(r.computeCycles)), String(Int64(r.stallCycles)),
                                                     String(format: "%.1f%%", r.utilization * 100), String(format: "%.4g", r.energyPicojoules),
                                                     String(format: "%.3g", r.macPJ), String(format: "%.3g", r.registerFilePJ), String(format: "%.3g", r.nocPJ),
                                                     String(format: "%.3g", r.bufferPJ), String(format: "%.3g", r.dramPJ)] })
        return s
    }
}
