import IntarsiaASIC

/// One entry of an ASIC spec's `accelerators` list: a sub-accelerator's knob lists, each key one
/// its dataflows declare (`ASICDataflowTemplate.knobs`) and each value one they all accept,
/// checked against the platform (bandwidth) and against the smallest tile its arrays need
/// (docs/ASIC.md).
extension ASICDesignSpec {
    static func readAccelerator(_ a: Cursor, platformBandwidth bandwidth: Double, count: Int, dataflows registry: ASICDataflows) throws -> ASICSpace.AcceleratorKnobs {
        let m = try a.mapping(allowed: acceleratorKeys)
        let dataflows = try m["dataflow"].map { try $0.scalarOrList().map { c -> ASICDataflow in
            guard let d = registry.named(try c.string()) else { throw c.error("unknown dataflow", accepted: registry.acceptedNames) }
            return d
        } } ?? [.systolicWS]
        let knobs = KnobReader(entry: m, dataflows: dataflows, registry: registry)
        func ints(_ k: ASICKnob, _ d: Int) throws -> [Int] { try knobs.numbers(k)?.map { Int($0) } ?? [d] }
        let rows = try ints(.rows, 32), cols = try ints(.columns, 32)
        let buffers = try knobs.numbers(.bufferKiB) ?? [512]
        let bws = try knobs.numbers(.bandwidthBytesPerCycle)
        if let bws, let i = bws.firstIndex(where: { $0 > bandwidth }), let c = m[ASICKnob.bandwidthBytesPerCycle.rawValue] {
            let item = try c.scalarOrList()[i]
            throw item.error("above the platform's bandwidth_bytes_per_cycle (\(bandwidth))", accepted: "at most \(bandwidth)")
        }
        let memory = try knobs.name(.memory).map { v -> ASICMemory in
            // A dataflow may accept only styles the model has.
            guard let style = ASICMemory(rawValue: v) else { throw m["memory"]!.error("unknown memory style", accepted: ASICMemory.acceptedNames) }
            return style
        } ?? .doubleBuffered
        // On-chip interconnect, L1, vector unit, SCALE-Sim's bandwidth mode (docs/ASIC.md); a
        // network of its own per tensor class, where the dataflow distributes them apart.
        let nocs = try knobs.numbers(.nocElementsPerCycle) ?? [.infinity]
        let perClass = try [ASICKnob.nocInputElementsPerCycle, .nocWeightElementsPerCycle, .nocOutputElementsPerCycle].map { try knobs.number($0) }
        let l1s = try knobs.numbers(.l1Bytes) ?? [512]
        let vectorLanes = try knobs.number(.vectorLanes).map { Int($0) } ?? 0
        var scaleSimBandwidth = ScaleSimBandwidth.user
        if let text = try knobs.name(.scaleSimBandwidth), let sc = m[ASICKnob.scaleSimBandwidth.rawValue] {
            guard let v = ScaleSimBandwidth(rawValue: text) else { throw sc.error("unknown SCALE-Sim bandwidth mode", accepted: ScaleSimBandwidth.acceptedNames) }
            guard memory == .scaleSim else { throw sc.error("applies to memory: scalesim only", accepted: "memory: scalesim with scalesim_bandwidth, or no scalesim_bandwidth") }
            scaleSimBandwidth = v
        }
        var k = ASICSpace.AcceleratorKnobs(dataflows: dataflows, rows: rows, columns: cols, bufferKiB: buffers, bandwidthBytesPerCycle: bws ?? [bandwidth / Double(count)], memory: memory)
        k.nocElementsPerCycle = nocs
        (k.nocInputElementsPerCycle, k.nocWeightElementsPerCycle, k.nocOutputElementsPerCycle) = (perClass[0], perClass[1], perClass[2])
        k.l1Bytes = l1s
        k.vectorLanes = vectorLanes
        k.scaleSimBandwidth = scaleSimBandwidth
        try checkMinimumSizes(k, a, m)
        return k
    }

    /// Reads an entry's knobs against its dataflows' declarations: a key must be a knob of every
    /// dataflow listed, a value accepted by each of them; the error names the key, the value, the
    /// dataflow and what it accepts.
    struct KnobReader {
        let entry: [String: Cursor]
        let dataflows: [ASICDataflow]
        let registry: ASICDataflows

        /// The rules of every listed dataflow for `k`; nil when the entry does not set it.
        func rules(_ k: ASICKnob) throws -> (Cursor, [(ASICDataflow, ASICKnobRule)])? {
            guard let c = entry[k.rawValue] else { return nil }
            return (c, try dataflows.map { d in
                guard let r = d.rule(k) else {
                    throw c.error("not a knob of dataflow \(d.rawValue)", value: false,
                                  accepted: "the knobs of \(d.rawValue): " + (["dataflow"] + d.knobs.map(\.knob.rawValue)).joined(separator: ", "))
                }
                return (d, r)
            })
        }

        /// A knob's candidate numbers (one, or a list unless `single`); nil when the entry does
        /// not set it.
        func numbers(_ k: ASICKnob, single: Bool = false) throws -> [Double]? {
            try values(k, single: single) { item, rules in
                let text = try item.string()
                guard let v = Double(text.replacingOccurrences(of: "_", with: "")), v.isFinite else {
                    throw item.error("expected a number", accepted: rules[0].1.values.description)
                }
                for (d, r) in rules where !r.values.accepts(v) {
                    throw item.error("not accepted by dataflow \(d.rawValue)", accepted: accepted(r, d, text) { $0.accepts(v) })
                }
                return v
            }
        }

        func number(_ k: ASICKnob) throws -> Double? { try numbers(k, single: true)?[0] }

        /// A knob's name (a single value); nil when the entry does not set it.
        func name(_ k: ASICKnob) throws -> String? {
            try values(k, single: true) { item, rules in
                let v = try item.string()
                for (d, r) in rules where !r.values.accepts(v) {
                    throw item.error("not accepted by dataflow \(d.rawValue)", accepted: accepted(r, d, v) { $0.accepts(v) })
                }
                return v
            }?[0]
        }

        /// What `d` accepts, and which dataflows of the registry accept the value instead.
        private func accepted(_ r: ASICKnobRule, _ d: ASICDataflow, _ value: String, _ accepts: (ASICKnobValues) -> Bool) -> String {
            let others = registry.all.filter { $0.rule(r.knob).map { accepts($0.values) } == true }.map(\.rawValue)
            return r.values.description + (others.isEmpty ? "" : " with \(d.rawValue); \(value) with \(others.joined(separator: ", "))")
        }

        private func values<T>(_ k: ASICKnob, single: Bool, _ read: (Cursor, [(ASICDataflow, ASICKnobRule)]) throws -> T) throws -> [T]? {
            guard let (c, rules) = try rules(k) else { return nil }
            return try (single ? [c] : c.scalarOrList()).map { try read($0, rules) }
        }
    }

    /// The smallest L1 must hold a PE's minimum tile, and the smallest buffer one tile of the
    /// array (its operands for one fold), for every dataflow and array shape listed.
    static func checkMinimumSizes(_ k: ASICSpace.AcceleratorKnobs, _ a: Cursor, _ m: [String: Cursor]) throws {
        if let minL1 = k.l1Bytes.min() {
            for d in k.dataflows {
                let need = ASICModel.minimumL1Bytes(d)
                if minL1 < need {
                    throw SpecError(file: a.file, key: m["l1_bytes"]?.path ?? a.child("l1_bytes"), value: ASICNumberText.text(minL1),
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
