import CXGBoost
import Foundation

/// Gradient-boosted regression trees through XGBoost's C API (Chen and Guestrin, KDD 2016;
/// Debian's libxgboost-dev): train on rows of features, predict, and the model as bytes (its
/// JSON format). Every call's status is checked; a failure throws XGBoost's own message.
public final class GradientBoostedTrees: @unchecked Sendable {
    /// The training settings (XGBoost parameter names and values). Defaults: squared error,
    /// depth 4, learning rate 0.05, 200 rounds, rows and columns subsampled at 0.8 (XGBoost's
    /// tutorial ranges; chosen on the NATS-Bench-MCU cells, docs/NAS.md), at least 3 cells' weight
    /// per leaf (min_child_weight 3: no leaf fits one or two of 50 to 100 training cells; chosen on
    /// the Pixel 3 and Raspberry Pi 4 cells with the table as margin, docs/NAS.md), one thread so a seed
    /// gives the same trees on every machine, and the histogram method (`hist`: 13 times faster
    /// than the `exact` greedy method XGBoost 1.6 chose by default, 9.5 s against 0.75 s of CPU
    /// for 200 rounds on 15,625 cells, BENCHMARKS.md "NAS hardware-cost sources").
    public struct Settings: Sendable {
        public var rounds = 200
        public var parameters: [(String, String)] = [
            ("objective", "reg:squarederror"), ("max_depth", "4"), ("eta", "0.05"), ("subsample", "0.8"), ("colsample_bytree", "0.8"),
            ("min_child_weight", "3"), ("nthread", "1"), ("verbosity", "0"), ("tree_method", "hist"),
        ]
        public init() {}
    }

    let handle: BoosterHandle

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static func check(_ rc: Int32, _ what: String) throws {
        guard rc == 0 else { throw Failure(description: "XGBoost \(what) failed: \(String(cString: XGBGetLastError()))") }
    }

    /// A matrix of `rows` (each `columns` features), freed by the caller. Zeros are stored as
    /// absent (a sparse matrix: most features are 0/1 operator indicators, and the histogram
    /// method's work is then proportional to the non-zeros, half the CPU time); a split sends them
    /// the way it learns, which can express every split on the dense values.
    static func matrix(_ rows: [[Float]], columns: Int) throws -> DMatrixHandle {
        var flat = [Float]()
        flat.reserveCapacity(rows.count * columns)
        for r in rows { flat += r }
        var m: DMatrixHandle?
        try check(XGDMatrixCreateFromMat(flat, bst_ulong(rows.count), bst_ulong(columns), 0, &m), "matrix creation")
        return m!
    }

    /// Trains on `rows`; `margin` (one per row) is the prediction the trees add to (XGBoost's
    /// base margin), nil for none.
    public init(train rows: [[Float]], labels: [Float], margin: [Float]? = nil, seed: UInt64, settings: Settings = .init()) throws {
        let columns = rows.first?.count ?? 0
        let m = try Self.matrix(rows, columns: columns)
        defer { XGDMatrixFree(m) }
        try Self.check(XGDMatrixSetFloatInfo(m, "label", labels, bst_ulong(labels.count)), "setting labels")
        if let margin { try Self.check(XGDMatrixSetFloatInfo(m, "base_margin", margin, bst_ulong(margin.count)), "setting the base margin") }
        var b: BoosterHandle?
        var ms: [DMatrixHandle?] = [m]
        try Self.check(XGBoosterCreate(&ms, 1, &b), "booster creation")
        handle = b!
        for (k, v) in settings.parameters + [("seed", String(seed % UInt64(Int32.max)))] { try Self.check(XGBoosterSetParam(handle, k, v), "parameter \(k)") }
        for i in 0..<settings.rounds { try Self.check(XGBoosterUpdateOneIter(handle, Int32(i), m), "training round \(i)") }
    }

    /// A model saved by `bytes`.
    public init(bytes: Data) throws {
        var b: BoosterHandle?
        try Self.check(XGBoosterCreate(nil, 0, &b), "booster creation")
        handle = b!
        try bytes.withUnsafeBytes { try Self.check(XGBoosterLoadModelFromBuffer(handle, $0.baseAddress, bst_ulong(bytes.count)), "model loading") }
    }

    deinit { XGBoosterFree(handle) }

    /// Predictions for `rows`, added to `margin` when given (as in training).
    public func predict(_ rows: [[Float]], margin: [Float]? = nil) throws -> [Float] {
        guard !rows.isEmpty else { return [] }
        let m = try Self.matrix(rows, columns: rows[0].count)
        defer { XGDMatrixFree(m) }
        if let margin { try Self.check(XGDMatrixSetFloatInfo(m, "base_margin", margin, bst_ulong(margin.count)), "setting the base margin") }
        var n: bst_ulong = 0
        var out: UnsafePointer<Float>?
        try Self.check(XGBoosterPredict(handle, m, 0, 0, 0, &n, &out), "prediction")
        return Array(UnsafeBufferPointer(start: out, count: Int(n)))
    }

    /// The model in XGBoost's JSON format.
    public func bytes() throws -> Data {
        var n: bst_ulong = 0
        var out: UnsafePointer<CChar>?
        try Self.check(XGBoosterSaveModelToBuffer(handle, "{\"format\": \"json\"}", &n, &out), "model saving")
        return Data(bytes: out!, count: Int(n))
    }
}
