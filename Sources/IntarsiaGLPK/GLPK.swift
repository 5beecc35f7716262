import CGLPKGuard
import Foundation

/// Solves `LinearModel`s with GLPK (Debian's libglpk-dev). Each call builds, solves and frees a
/// GLPK problem inside one C call guarded against GLPK's abort-on-error, on the calling thread;
/// calls on different threads run in parallel safely (GLPK's environment is thread-local).
public enum GLPK {
    public static func solve(_ model: LinearModel, options: SolveOptions = SolveOptions()) throws -> SolveResult {
        let n = model.variables.count, m = model.constraints.count
        var lb = [Double](), ub = [Double](), kinds = [Int32](), costs = [Double]()
        lb.reserveCapacity(n); ub.reserveCapacity(n); kinds.reserveCapacity(n); costs.reserveCapacity(n)
        for v in model.variables {
            lb.append(v.lower)  // ±infinity is C's ±HUGE_VAL: no bound
            ub.append(v.upper)
            kinds.append(v.kind == .continuous ? 0 : (v.kind == .integer ? 1 : 2))
            costs.append(v.cost)
        }
        var rlb = [Double](), rub = [Double](), ia = [Int32](), ja = [Int32](), ar = [Double]()
        for (i, c) in model.constraints.enumerated() {
            rlb.append(c.lower)
            rub.append(c.upper)
            for t in c.terms {
                ia.append(Int32(i))
                ja.append(Int32(t.variable))
                ar.append(t.coefficient)
            }
        }
        // LP-format names: letters, digits and a few symbols only.
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_[].")
        func clean(_ s: String) -> String {
            // Most names are clean already (a schedule graph's 260,000 arc variables): checked on bytes.
            if let f = s.utf8.first, s.utf8.count <= 200, (f >= 65 && f <= 90) || (f >= 97 && f <= 122) || f == 95,
               s.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 91 || $0 == 93 || $0 == 46 }) {
                return s
            }
            let t = String(s.map { allowed.contains($0) ? $0 : "_" }.prefix(200))
            return t.first.map { $0.isLetter || $0 == "_" } == true ? t : "v" + t
        }
        let colNames = model.variables.map { strdup(clean($0.name)) }
        let rowNames = model.constraints.map { strdup(clean($0.name)) }
        defer { colNames.forEach { free($0) }; rowNames.forEach { free($0) } }
        var x = [Double](repeating: 0, count: n)
        var out = intarsia_lp_output()
        let incumbent = options.incumbent.flatMap { $0.count == n ? $0 : nil }
        lb.withUnsafeBufferPointer { lbp in ub.withUnsafeBufferPointer { ubp in kinds.withUnsafeBufferPointer { kp in
        costs.withUnsafeBufferPointer { cp in rlb.withUnsafeBufferPointer { rlbp in rub.withUnsafeBufferPointer { rubp in
        ia.withUnsafeBufferPointer { iap in ja.withUnsafeBufferPointer { jap in ar.withUnsafeBufferPointer { arp in
        colNames.map { UnsafePointer($0) }.withUnsafeBufferPointer { cnp in rowNames.map { UnsafePointer($0) }.withUnsafeBufferPointer { rnp in
        (incumbent ?? []).withUnsafeBufferPointer { incp in x.withUnsafeMutableBufferPointer { xp in
            let path = options.lpPath.map { strdup($0) } ?? nil
            defer { free(path) }
            var input = intarsia_lp_input(
                n_cols: Int32(n), n_rows: Int32(m),
                col_lb: lbp.baseAddress, col_ub: ubp.baseAddress, col_kind: kp.baseAddress,
                objective: cp.baseAddress, objective_constant: model.objectiveConstant,
                maximize: model.sense == .maximize ? 1 : 0,
                row_lb: rlbp.baseAddress, row_ub: rubp.baseAddress,
                nnz: Int32(ar.count), ia: iap.baseAddress, ja: jap.baseAddress, ar: arp.baseAddress,
                col_names: cnp.baseAddress, row_names: rnp.baseAddress,
                time_limit_seconds: options.timeLimitSeconds ?? 0, relative_gap: options.relativeGap ?? 0,
                presolve: options.presolve ? 1 : 0,
                incumbent: incumbent == nil ? nil : incp.baseAddress,
                lp_path: path.map { UnsafePointer($0) })
            _ = intarsia_glpk_solve(&input, &out, xp.baseAddress)
        } } } } } } } } } } } } }
        let message = withUnsafeBytes(of: out.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let status: SolveResult.Status
        switch out.status {
        case 0: status = .optimal
        case 1: status = .feasible
        case 2: status = .infeasible
        case 3: status = .unbounded
        case 4: status = .noSolution
        default: throw GLPKError(message: message)
        }
        let solved = status == .optimal || status == .feasible
        return SolveResult(status: status, objective: solved ? out.objective : nil, values: solved ? x : [],
                           bound: solved && out.bound.isFinite ? out.bound : nil, gap: solved ? out.gap : nil,
                           seconds: out.seconds, nodes: Int(out.nodes), note: message)
    }
}
