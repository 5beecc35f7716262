import IntarsiaASIC

/// One entry of an ASIC spec's `accelerators` list: a sub-accelerator's knob lists, checked
/// against the platform (bandwidth) and against the smallest tile its arrays need (docs/ASIC.md).
extension ASICDesignSpec {
    static func readAccelerator(_ a: Cursor, platformBandwidth bandwidth: Double, count: Int) throws -> ASICSpace.AcceleratorKnobs {
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
        } } ?? [bandwidth / Double(count)]
        let memory = try readMemoryStyle(m["memory"], dataflows: dataflows)
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
        var k = ASICSpace.AcceleratorKnobs(dataflows: dataflows, rows: rows, columns: cols, bufferKiB: buffers, bandwidthBytesPerCycle: bws, memory: memory)
        k.nocElementsPerCycle = nocs
        (k.nocInputElementsPerCycle, k.nocWeightElementsPerCycle, k.nocOutputElementsPerCycle) = (perClass[0], perClass[1], perClass[2])
        k.l1Bytes = l1s
        k.vectorLanes = vectorLanes
        k.scaleSimBandwidth = scaleSimBandwidth
        try checkMinimumSizes(k, a, m)
        return k
    }

    /// How off-chip transfers meet compute: one style per sub-accelerator (docs/ASIC.md);
    /// SCALE-Sim's scratchpads only with the systolic dataflows.
    static func readMemoryStyle(_ mc: Cursor?, dataflows: [ASICDataflow]) throws -> ASICMemory {
        guard let mc else { return .doubleBuffered }
        guard let style = ASICMemory(rawValue: try mc.string()) else {
            throw mc.error("unknown memory style", accepted: ASICMemory.acceptedNames)
        }
        if style == .scaleSim, let d = dataflows.first(where: { !$0.isSystolic }) {
            throw mc.error("SCALE-Sim's scratchpads model the systolic dataflows only, not \(d.rawValue)",
                           accepted: "double_buffered or preload_inputs with \(d.rawValue); scalesim with systolic_ws, systolic_os, systolic_is")
        }
        return style
    }

    /// The smallest L1 must hold a PE's minimum tile, and the smallest buffer one tile of the
    /// array (its operands for one fold), for every dataflow and array shape listed.
    static func checkMinimumSizes(_ k: ASICSpace.AcceleratorKnobs, _ a: Cursor, _ m: [String: Cursor]) throws {
        if let minL1 = k.l1Bytes.min() {
            for d in k.dataflows {
                let need = ASICModel.minimumL1Bytes(d)
                if minL1 < need {
                    throw SpecError(file: a.file, key: m["l1_bytes"]?.path ?? a.child("l1_bytes"), value: ASICHardwareNumber.text(minL1),
                                    problem: "too small for a \(d.rawValue) PE's minimum tile (\(Int(need)) bytes)", accepted: "at least \(Int(need)) bytes")
                }
            }
        }
        guard let minBuffer = k.bufferKiB.min() else { return }
        for d in k.dataflows {
            for r in k.rows {
                for c in k.columns {
                    let need = ASICModel.minimumTileBytes(d, rows: r, columns: c)
                    if minBuffer * 1024 < need {
                        throw SpecError(file: a.file, key: m["buffer_kib"]?.path ?? a.child("buffer_kib"), value: String(minBuffer),
                                        problem: "too small for a \(r)x\(c) \(d.rawValue) array's minimum tile (\(Int(need)) bytes)",
                                        accepted: "at least \(Int((need / 1024).rounded(.up))) KiB")
                    }
                }
            }
        }
    }
}
