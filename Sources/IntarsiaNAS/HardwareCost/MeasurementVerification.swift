import Foundation

/// `hardware_cost: {predictor: MODEL, verify: SOURCE, verify_designs: K}`: the measurement source
/// (a table or a command) that checks a predictor's figures, as HW-NAS flows measure their best
/// candidates on the device before choosing (docs/NAS.md, "Predictor-driven search"). An
/// architecture is measured when a verification round first asks for it (a command runs once per
/// architecture; its cache keeps the answer); what was measured replaces the prediction in every
/// later round (`MeasuredFigures.withVerifiedCells`).
public final class MeasurementVerification: @unchecked Sendable {
    /// One architecture's measured figures (ms, mJ, kB), or why the measurement failed.
    public enum Measured: Sendable, Equatable {
        case figures(latencyMs: Double, energyMJ: Double?, memoryKB: Double?)
        case failed(String)
    }

    /// What measures (for reports): "table PATH" or "command CMD".
    public let source: String
    /// At most this many designs are measured (verification rounds).
    public let designs: Int
    /// Per round and task, this many of the pick's nearest rivals are measured besides the pick
    /// (`CoExploration.measureRivals`; 0: the pick only).
    public let rivals: Int
    private let measurement: @Sendable (Int) -> Measured
    private let lock = NSLock()
    private var done: [Int: Measured] = [:]

    /// Architectures known to fail before any is measured (a table's missing rows), with why.
    public let knownFailures: [Int: String]

    public init(source: String, designs: Int, rivals: Int = 0, knownFailures: [Int: String] = [:], measure: @escaping @Sendable (Int) -> Measured) {
        self.source = source
        self.designs = designs
        self.rivals = rivals
        self.knownFailures = knownFailures
        self.measurement = measure
    }

    /// A table's figures as the measurement: a row is a measurement, a missing row a failed one.
    public convenience init(table f: MeasuredFigures, designs: Int, rivals: Int = 0) {
        self.init(source: "table \(f.source)", designs: designs, rivals: rivals, knownFailures: f.failed) { a in
            if let why = f.failed[a] { return .failed(why) }
            return .figures(latencyMs: f.latencyMs[a], energyMJ: f.energyMJ?[a], memoryKB: f.memoryKB?[a])
        }
    }

    /// A measurement command (`CommandOracle.measure`) on the architectures of `space`.
    public convenience init(command oracle: CommandOracle, space: any ArchitectureSpace, task: String, designs: Int, rivals: Int = 0) {
        self.init(source: "command \(oracle.command)", designs: designs, rivals: rivals) { a in
            switch oracle.measure(architecture: space.architectureString(a), task: task) {
            case .measured(let f):
                guard let ms = f["latency"] else { return .failed("no latency") }
                // Power alone gives energy as power × latency (W × ms = mJ), as in a table.
                return .figures(latencyMs: ms, energyMJ: f["energy"] ?? f["power"].map { $0 * ms }, memoryKB: f["memory"])
            case .failed(let why): return .failed("measurement failed: \(why)")
            case .accuracy: return .failed("measurement gave an accuracy")
            }
        }
    }

    /// Measures architecture `a` unless it was measured before.
    @discardableResult
    public func measure(_ a: Int) -> Measured {
        lock.lock()
        if let m = done[a] { lock.unlock(); return m }
        lock.unlock()
        let m = measurement(a)
        lock.lock(); done[a] = m; lock.unlock()
        return m
    }

    /// The architectures measured so far and what each gave.
    public var measured: [Int: Measured] { lock.lock(); defer { lock.unlock() }; return done }
}

extension MeasurementVerification: Equatable {
    /// One verification is one source and its measurements: equal only to itself.
    public static func == (a: MeasurementVerification, b: MeasurementVerification) -> Bool { a === b }
}

extension MeasuredFigures {
    /// These figures checked by `v` (nil: unchecked): the architectures `v` knows it cannot
    /// measure (a table's missing rows, `missing: failed`) are failed evaluations from the start,
    /// so that no verification round is spent on them.
    public func verified(by v: MeasurementVerification?) -> MeasuredFigures {
        var f = self
        f.verification = v
        for (a, why) in v?.knownFailures ?? [:] { f.failed[a] = "verification by \(v!.source): \(why)" }
        return f
    }

    /// The figures with every architecture the verification has measured in place of its
    /// prediction (a failed measurement is a failed evaluation; a measurement without a figure the
    /// predictor gives is one too), and those architectures in `verifiedArchitectures`. The
    /// predictions of the others are scaled optimistically (`scaledOptimistically`): each figure
    /// by the smallest ratio of measured to predicted over the measured architectures, so that an
    /// unmeasured architecture looks as cheap as the measurements so far say it may be. A search
    /// on these figures that still prefers a design measured throughout has no unmeasured rival
    /// unless that rival's prediction errs more than any measured one did (docs/NAS.md,
    /// "Predictor-driven search").
    public func withVerifiedCells() -> MeasuredFigures {
        guard let v = verification else { return self }
        var f = self.scaledOptimistically(v.measured)
        for (a, m) in v.measured {
            f.verifiedArchitectures.insert(a)
            switch m {
            case .failed(let why): f.failed[a] = "verification by \(v.source): \(why)"
            case .figures(let ms, let mj, let kb):
                f.failed[a] = nil
                f.latencyMs[a] = ms
                if f.energyMJ != nil, mj == nil { f.failed[a] = "verification by \(v.source) gives no energy, which the predictor gives" }
                if f.memoryKB != nil, kb == nil { f.failed[a] = "verification by \(v.source) gives no memory, which the predictor gives" }
                if let mj { f.energyMJ?[a] = mj }
                if let kb { f.memoryKB?[a] = kb }
            }
        }
        return f
    }

    /// Every prediction scaled, per figure, by the smallest ratio of measured to predicted over
    /// the architectures `measured` (unchanged without a measurement of the figure). The median
    /// ratio (session 13) under-corrected: a search picks where the predictor is optimistic, and
    /// the cells of the measured optimum that the predictor overestimates (NAS-Bench-201 cell 9399
    /// on the microcontroller, predicted 28.06 mJ, measured 21.73 mJ with the seed-2 predictor)
    /// were never picked, so never measured.
    func scaledOptimistically(_ measured: [Int: MeasurementVerification.Measured]) -> MeasuredFigures {
        var ratios: [Double?] = [nil, nil, nil]
        for (a, m) in measured {
            guard case .figures(let ms, let mj, let kb) = m else { continue }
            for (k, (x, p)) in [(ms, latencyMs[a]), (mj, energyMJ?[a]), (kb, memoryKB?[a])].enumerated() {
                if let x, let p, p > 0, x.isFinite, p.isFinite { ratios[k] = min(ratios[k] ?? .infinity, x / p) }
            }
        }
        var f = self
        if let l = ratios[0] { f.latencyMs = latencyMs.map { $0 * l } }
        if let e = ratios[1] { f.energyMJ = energyMJ?.map { $0 * e } }
        if let k = ratios[2] { f.memoryKB = memoryKB?.map { $0 * k } }
        return f
    }

    /// Which kind priced architecture `a`'s figures: `measured` for an architecture a verification
    /// has measured, else the source's kind.
    public func provenance(architecture a: Int) -> String {
        guard verifiedArchitectures.contains(a) else { return provenance }
        return provenance.replacingOccurrences(of: "=" + kind.rawValue, with: "=measured")
    }
}
