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
    /// A sub-accelerator entry's keys: its dataflows, and the knobs any dataflow may declare
    /// (which of them an entry may set is its dataflows' business: `ASICDataflowTemplate.knobs`).
    static let acceleratorKeys = ["dataflow"] + ASICKnob.allCases.map(\.rawValue)
    static let platformKeys = ["asic", "clock_mhz", "pe_budget", "bandwidth_bytes_per_cycle", "output_size", "non_mac_operators"]
    /// How a network's non-MAC operators (pooling, element-wise, activations, softmax, layer norm,
    /// up-sampling) are treated: priced on the sub-accelerators (`price`, the default) or left
    /// out as ZigZag and SCALE-Sim do (`ignore`, for comparing with them).
    static let nonMACValues = ["price", "ignore"]

    /// Whether the spec text describes an ASIC (its platform names an `asic` node). A sniff, not
    /// a check: text that is not YAML is no ASIC spec, and the loader that reads it next
    /// (`DesignSpec.load`) reports the syntax error with its line; keys are not checked here, so a
    /// misspelled key of an ASIC spec is reported by the ASIC reader against the ASIC keys.
    public static func isASIC(text: String) -> Bool {
        guard let root = try? YAMLDocument.root(text: text, file: ""), case .mapping(let top) = root.node,
              let platform = top.first(where: { $0.key.string == "platform" })?.value, case .mapping(let m) = platform else { return false }
        return m.keys.contains { $0.string == "asic" }
    }

    /// Reads a spec whose entries name dataflows of `dataflows` (the built-in ones unless a
    /// test or a tool registers its own).
    public static func parse(text: String, file: String, dataflows: ASICDataflows = .builtin) throws -> ASICDesignSpec {
        let root = try YAMLDocument.root(text: text, file: file)
        let top = try root.mapping(allowed: topKeys)
        let name = try root.specName(in: top)
        let hw = try readHardware(top, of: root, dataflows: dataflows)
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

    static func readHardware(_ top: [String: Cursor], of root: Cursor, dataflows: ASICDataflows = .builtin) throws -> Hardware {
        let file = root.file
        var hw = try readPlatform(try root.required("platform", in: top))
        // Sub-accelerators.
        let list = try root.required("accelerators", in: top).list()
        if list.isEmpty { throw SpecError(file: file, key: "accelerators", problem: "no sub-accelerator listed", accepted: "a list of sub-accelerators") }
        if list.count > 4 { throw SpecError(file: file, key: "accelerators", problem: "at most 4 sub-accelerators", accepted: "1 to 4 entries") }
        hw.knobs = try list.map { try readAccelerator($0, platformBandwidth: hw.bandwidth, count: list.count, dataflows: dataflows) }
        return hw
    }

    /// The `platform` mapping: node, clock, budgets and conventions (no sub-accelerator yet).
    static func readPlatform(_ pc: Cursor) throws -> Hardware {
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
        guard var tech = ASICTechnology.named(try nodeC.string()) else {
            throw nodeC.error("unknown technology node", accepted: ASICTechnology.acceptedNames)
        }
        let clock = try p["clock_mhz"]?.double(min: 1, max: 10_000) ?? tech.clockMHz
        tech.clockMHz = clock
        let peC = try pc.required("pe_budget", in: p, accepted: "a positive integer")
        let peBudget = try peC.positiveInt(max: 1 << 24)
        let bandwidth = try p["bandwidth_bytes_per_cycle"]?.double(min: 0, max: 1e6, exclusiveMin: true) ?? 64
        return Hardware(technology: tech, clockMHz: clock, peBudget: peBudget, bandwidth: bandwidth, knobs: [], outputSize: outputSize, priceNonMAC: priceNonMAC)
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
        if case .mapping(let keys) = c.node, keys.keys.contains(where: { $0.string == "networks" }),
           let list = try c.mapping(allowed: ["networks"])["networks"] {
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


