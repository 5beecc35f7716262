import Foundation
import IntarsiaASIC
import IntarsiaCore

/// A design spec for an ASIC: recognised by `platform: {asic: NODE, ...}`. Its workload may list
/// several networks (one per task); `accelerators` lists the sub-accelerators, each with
/// candidate knob values. Documented in docs/SPEC.md.
public struct ASICDesignSpec: Sendable {
    public var file: String
    public var name: String
    public var space: ASICSpace
    public var clockMHz: Double
    public var constraints: ASICConstraints
    public var objectives: [ASICObjective]
    public var outputPath: String
    public var top: Int

    static let topKeys = ["name", "workload", "platform", "accelerators", "constraints", "objectives", "output"]
    static let acceleratorKeys = ["dataflow", "rows", "columns", "buffer_kib", "bandwidth_bytes_per_cycle", "memory",
                                  "noc_elements_per_cycle", "noc_input_elements_per_cycle", "noc_weight_elements_per_cycle", "noc_output_elements_per_cycle",
                                  "l1_bytes", "vector_lanes", "scalesim_bandwidth"]
    static let platformKeys = ["asic", "clock_mhz", "pe_budget", "bandwidth_bytes_per_cycle", "output_size", "non_mac_operators"]
    /// How a network's non-MAC operators (pooling, element-wise, activations, softmax, layer norm,
    /// up-sampling) are treated: priced on the sub-accelerators (`price`, the default) or left
    /// out as ZigZag and SCALE-Sim do (`ignore`, for comparing with them).
    static let nonMACValues = ["price", "ignore"]

    /// Whether the spec text describes an ASIC (its platform names an `asic` node).
    public static func isASIC(text: String) -> Bool {
        guard let root = try? YAMLDocument.root(text: text, file: ""), let top = try? root.mapping(allowed: DesignSpec.topKeys + topKeys),
              let platform = top["platform"], case .mapping(let m) = platform.node else { return false }
        return m.keys.contains { $0.string == "asic" }
    }

    public static func parse(text: String, file: String) throws -> ASICDesignSpec {
        let root = try YAMLDocument.root(text: text, file: file)
        let top = try root.mapping(allowed: topKeys)
        let name = try root.specName(in: top)
        let hw = try readHardware(top, of: root)
        let (tech, clock, peBudget, bandwidth, knobs) = (hw.technology, hw.clockMHz, hw.peBudget, hw.bandwidth, hw.knobs)
        // Workload: one network or several.
        let networks = try readNetworks(try root.required("workload", in: top), outputSize: hw.outputSize, vectorOperators: hw.priceNonMAC)
        let k = try readConstraints(top["constraints"])
        var objectives: [ASICObjective] = [.latencyMs, .energyMJ]
        if let o = top["objectives"] {
            objectives = try o.scalarOrList().map { c in
                let v = try c.string()
                guard let o = ASICObjective(rawValue: v) else { throw c.error("unknown objective", accepted: ASICObjective.acceptedNames) }
                return o
            }
        }
        var output = "results/\(name).csv", topN = 10
        if let o = top["output"] {
            let m = try o.mapping(allowed: ["path", "top"])
            if let p = m["path"] { output = try p.string() }
            if let t = m["top"] { topN = try t.int(min: 0, max: 10_000) }
        }
        let space = ASICSpace(accelerators: knobs, networks: networks, technology: tech, peBudget: peBudget, bandwidthBudgetBytesPerCycle: bandwidth)
        if space.count > 200_000 {
            throw SpecError(file: file, key: "accelerators", value: String(space.count), problem: "the design space is too large for exhaustive evaluation", accepted: "at most 200000 designs")
        }
        return ASICDesignSpec(file: file, name: name, space: space, clockMHz: clock, constraints: k, objectives: objectives, outputPath: output, top: topN)
    }


    /// The hardware half of an ASIC spec (also read by NAS specs): node, clock, budgets and the
    /// sub-accelerators' knob lists.
    public struct Hardware: Sendable {
        public var technology: ASICTechnology
        public var clockMHz: Double
        public var peBudget: Int
        public var bandwidth: Double
        public var knobs: [ASICSpace.AcceleratorKnobs]
        /// Output-size convention of convolutions (`output_size`: floor, or SCALE-Sim's ceil).
        public var outputSize: ConvLayer.OutputSize = .floor
        /// Whether non-MAC operators are priced (`non_mac_operators: price`).
        public var priceNonMAC = true
    }

    static func readHardware(_ top: [String: Cursor], of root: Cursor) throws -> Hardware {
        let file = root.file
        // Platform.
        let pc = try root.required("platform", in: top)
        let p = try pc.mapping(allowed: platformKeys)
        var outputSize = ConvLayer.OutputSize.floor
        if let oc = p["output_size"] {
            guard let v = ConvLayer.OutputSize(rawValue: try oc.string()) else { throw oc.error("unknown output-size convention", accepted: ConvLayer.OutputSize.acceptedNames) }
            outputSize = v
        }
        var priceNonMAC = true
        if let nc = p["non_mac_operators"] {
            let v = try nc.string()
            guard nonMACValues.contains(v) else { throw nc.error("unknown treatment of non-MAC operators", accepted: nonMACValues.joined(separator: ", ")) }
            priceNonMAC = v == "price"
        }
        let nodeC = try pc.required("asic", in: p, accepted: ASICTechnology.acceptedNames)
        guard var tech = ASICTechnology.named((try? nodeC.string()) ?? "") else {
            throw nodeC.error("unknown technology node", accepted: ASICTechnology.acceptedNames)
        }
        let clock = try p["clock_mhz"]?.double(min: 1, max: 10_000) ?? tech.clockMHz
        tech.clockMHz = clock
        let peC = try pc.required("pe_budget", in: p, accepted: "a positive integer")
        let peBudget = try peC.positiveInt(max: 1 << 24)
        let bandwidth = try p["bandwidth_bytes_per_cycle"]?.double(min: 0, max: 1e6, exclusiveMin: true) ?? 64
        // Sub-accelerators.
        let list = try root.required("accelerators", in: top).list()
        if list.isEmpty { throw SpecError(file: file, key: "accelerators", problem: "no sub-accelerator listed", accepted: "a list of sub-accelerators") }
        if list.count > 4 { throw SpecError(file: file, key: "accelerators", problem: "at most 4 sub-accelerators", accepted: "1 to 4 entries") }
        var knobs: [ASICSpace.AcceleratorKnobs] = []
        for a in list {
            let m = try a.mapping(allowed: acceleratorKeys)
            func ints(_ k: String, _ d: Int) throws -> [Int] {
                try m[k].map { try $0.scalarOrList().map { try $0.int(min: 1, max: 4096, what: "a positive integer") } } ?? [d]
            }
            let dataflows = try m["dataflow"].map { try $0.scalarOrList().map { c -> ASICDataflow in
                guard let d = ASICDataflow(rawValue: try c.string()) else { throw c.error("unknown dataflow", accepted: ASICDataflow.acceptedNames) }
                return d
            } } ?? [.systolicWS]
            let rows = try ints("rows", 32), cols = try ints("columns", 32)
            let buffers = try m["buffer_kib"].map { try $0.scalarOrList().map { try $0.double(min: 0, max: 1_048_576, exclusiveMin: true) } } ?? [512]
            let bws = try m["bandwidth_bytes_per_cycle"].map { try $0.scalarOrList().map { c -> Double in
                let v = try c.double(min: 0, max: 1e6, exclusiveMin: true)
                if v > bandwidth { throw c.error("above the platform's bandwidth_bytes_per_cycle (\(bandwidth))", accepted: "at most \(bandwidth)") }
                return v
            } } ?? [bandwidth / Double(list.count)]
            // How off-chip transfers meet compute: one style per sub-accelerator (docs/ASIC.md).
            var memory = ASICMemory.doubleBuffered
            if let mc = m["memory"] {
                guard let style = ASICMemory(rawValue: try mc.string()) else {
                    throw mc.error("unknown memory style", accepted: ASICMemory.acceptedNames)
                }
                if style == .scaleSim, let d = dataflows.first(where: { !$0.isSystolic }) {
                    throw mc.error("SCALE-Sim's scratchpads model the systolic dataflows only, not \(d.rawValue)",
                                   accepted: "double_buffered or preload_inputs with \(d.rawValue); scalesim with systolic_ws, systolic_os, systolic_is")
                }
                memory = style
            }
            // On-chip interconnect, L1, vector unit, SCALE-Sim's bandwidth mode (docs/ASIC.md).
            let nocs = try m["noc_elements_per_cycle"].map { try $0.scalarOrList().map { try $0.double(min: 0, max: 1e9, exclusiveMin: true) } } ?? [.infinity]
            // A network of its own per tensor class, where the dataflow distributes them apart.
            let perClass = try ["input", "weight", "output"].map { c in
                try m["noc_\(c)_elements_per_cycle"].map { try $0.double(min: 0, max: 1e9, exclusiveMin: true) }
            }
            let l1s = try m["l1_bytes"].map { try $0.scalarOrList().map { try $0.double(min: 0, max: 1_073_741_824, exclusiveMin: true) } } ?? [512]
            let vectorLanes = try m["vector_lanes"].map { try $0.int(min: 0, max: 1 << 20, what: "a number of lanes (0: non-MAC operators on the PE array)") } ?? 0
            var scaleSimBandwidth = ScaleSimBandwidth.user
            if let sc = m["scalesim_bandwidth"] {
                guard let v = ScaleSimBandwidth(rawValue: try sc.string()) else { throw sc.error("unknown SCALE-Sim bandwidth mode", accepted: ScaleSimBandwidth.acceptedNames) }
                guard memory == .scaleSim else { throw sc.error("applies to memory: scalesim only", accepted: "memory: scalesim with scalesim_bandwidth, or no scalesim_bandwidth") }
                scaleSimBandwidth = v
            }
            if let minL1 = l1s.min() {
                for d in dataflows {
                    let need = ASICModel.minimumL1Bytes(d)
                    if minL1 < need {
                        throw SpecError(file: file, key: m["l1_bytes"]?.path ?? a.child("l1_bytes"), value: ASICHardwareNumber.text(minL1),
                                        problem: "too small for a \(d.rawValue) PE's minimum tile (\(Int(need)) bytes)", accepted: "at least \(Int(need)) bytes")
                    }
                }
            }
            // The smallest buffer must hold one tile of the array: its operands for one fold.
            if let minBuffer = buffers.min() {
                for d in dataflows {
                    for r in rows {
                        for c in cols {
                            let need = ASICModel.minimumTileBytes(d, rows: r, columns: c)
                            if minBuffer * 1024 < need {
                                throw SpecError(file: file, key: m["buffer_kib"]?.path ?? a.child("buffer_kib"), value: String(minBuffer),
                                                problem: "too small for a \(r)x\(c) \(d.rawValue) array's minimum tile (\(Int(need)) bytes)",
                                                accepted: "at least \(Int((need / 1024).rounded(.up))) KiB")
                            }
                        }
                    }
                }
            }
            var k = ASICSpace.AcceleratorKnobs(dataflows: dataflows, rows: rows, columns: cols, bufferKiB: buffers, bandwidthBytesPerCycle: bws, memory: memory)
            k.nocElementsPerCycle = nocs
            (k.nocInputElementsPerCycle, k.nocWeightElementsPerCycle, k.nocOutputElementsPerCycle) = (perClass[0], perClass[1], perClass[2])
            k.l1Bytes = l1s
            k.vectorLanes = vectorLanes
            k.scaleSimBandwidth = scaleSimBandwidth
            knobs.append(k)
        }
        return Hardware(technology: tech, clockMHz: clock, peBudget: peBudget, bandwidth: bandwidth, knobs: knobs, outputSize: outputSize, priceNonMAC: priceNonMAC)
    }

    static func readConstraints(_ c: Cursor?) throws -> ASICConstraints {
        var k = ASICConstraints()
        if let c {
            let m = try c.mapping(allowed: ["latency_ms", "energy_mj", "area_mm2", "power_w"])
            k.maxLatencyMs = try m["latency_ms"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
            k.maxEnergyMJ = try m["energy_mj"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
            k.maxAreaMM2 = try m["area_mm2"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
            k.maxPowerW = try m["power_w"].map { try $0.double(min: 0, max: .infinity, exclusiveMin: true) }
        }
        return k
    }

    static func readNetworks(_ c: Cursor, outputSize: ConvLayer.OutputSize = .floor, vectorOperators: Bool = true) throws -> [(name: String, layers: [ConvLayer])] {
        if case .mapping = c.node, let m = try? c.mapping(allowed: ["networks"]), let list = m["networks"] {
            let items = try list.list()
            if items.isEmpty { throw list.error("no network: a spec needs at least one to cost the accelerators on", value: false, accepted: "a list of one or more workloads") }
            return try items.map { try one($0, outputSize: outputSize, vectorOperators: vectorOperators) }
        }
        return [try one(c, outputSize: outputSize, vectorOperators: vectorOperators)]
    }

    static func one(_ c: Cursor, outputSize: ConvLayer.OutputSize, vectorOperators: Bool) throws -> (name: String, layers: [ConvLayer]) {
        let (w, _) = try WorkloadSection.read(c)
        let layers = ConvLayer.layers(of: w, outputSize: outputSize, vectorOperators: vectorOperators)
        if !layers.contains(where: { !$0.isVector }) { throw c.error("the network has no convolution or matrix product", value: false) }
        return (w.name, layers)
    }
}

enum ASICHardwareNumber {
    static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
