import Foundation
import IntarsiaASIC
import IntarsiaNAS

/// A NAS co-exploration spec: NAS-Bench-201 tasks on a heterogeneous ASIC (the hardware keys are
/// an ASIC spec's). Documented in docs/NAS.md.
public struct NASDesignSpec: Sendable {
    public var file: String
    public var name: String
    public var tasks: [CoExploration.Task]
    public var hardware: ASICDesignSpec.Hardware
    public var constraints: ASICConstraints
    public var strategies: [String]
    public var budget: Int
    public var seed: UInt64
    public var outputPrefix: String

    public static let strategyNames = ["exact", "successive", "random", "evolution", "reinforce", "moea"]
    static let topKeys = ["name", "tasks", "platform", "accelerators", "constraints", "search", "output"]

    public static func isNAS(text: String) -> Bool {
        guard let root = try? YAMLDocument.root(text: text, file: ""), case .mapping(let m) = root.node else { return false }
        return m.keys.contains { $0.string == "tasks" } && m.keys.contains { $0.string == "accelerators" }
    }

    public static func parse(text: String, file: String) throws -> NASDesignSpec {
        let root = try YAMLDocument.root(text: text, file: file)
        let top = try root.mapping(allowed: topKeys)
        let name = try root.specName(in: top)
        let tc = try root.required("tasks", in: top)
        let table = try NB201Table.load()
        let tasks = try tc.list().map { c -> CoExploration.Task in
            let m = try c.mapping(allowed: ["dataset", "weight", "min_accuracy", "oracle"])
            let dc = try c.required("dataset", in: m)
            guard let d = NB201Table.Dataset(rawValue: try dc.string()) else {
                throw dc.error("unknown dataset", accepted: NB201Table.Dataset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var oracle: CommandOracle?
            if let oc = m["oracle"] {
                let om = try oc.mapping(allowed: ["command", "timeout_s", "cache"])
                let cmd = try oc.required("command", in: om, accepted: "a shell command with {arch} and {task}")
                let text = try cmd.string()
                if !text.contains("{arch}") { throw cmd.error("the command must take the architecture", accepted: "a command containing {arch}") }
                let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
                let cache = try om["cache"]?.string() ?? "results/nas/\(name)-oracle-cache.jsonl"
                oracle = CommandOracle(command: text.replacingOccurrences(of: "{spec_dir}", with: base),
                                       timeoutSeconds: try om["timeout_s"]?.double(min: 0, max: 86_400, exclusiveMin: true) ?? 60, cachePath: cache)
            }
            return CoExploration.Task.nb201(d, table: table, weight: try m["weight"]?.double(min: 0, max: 1000) ?? 1,
                                      minimumAccuracy: try m["min_accuracy"]?.double(min: 0, max: 100), oracle: oracle)
        }
        if tasks.isEmpty || tasks.count > 4 { throw tc.error("give 1 to 4 tasks", value: false) }
        let hw = try ASICDesignSpec.readHardware(top, of: root)
        let constraints = try ASICDesignSpec.readConstraints(top["constraints"])
        var strategies = strategyNames, budget = 5000, seed: UInt64 = 1
        if let s = top["search"] {
            let m = try s.mapping(allowed: ["strategy", "budget", "seed"])
            if let v = m["strategy"] {
                let names = try v.scalarOrList().map { c -> String in
                    let n = try c.string()
                    guard n == "all" || strategyNames.contains(n) else { throw c.error("unknown strategy", accepted: "all, " + strategyNames.joined(separator: ", ")) }
                    return n
                }
                strategies = names.contains("all") ? strategyNames : names
            }
            if let v = m["budget"] { budget = try v.positiveInt(max: 10_000_000) }
            if let v = m["seed"] { seed = UInt64(try v.int(min: 0)) }
        }
        var prefix = "results/nas/\(name)"
        if let o = top["output"] {
            let m = try o.mapping(allowed: ["path"])
            if let p = m["path"] { prefix = try p.string() }
        }
        let count = hw.knobs.reduce(1) { $0 * $1.dataflows.count * $1.rows.count * $1.columns.count * $1.bufferKiB.count * $1.bandwidthBytesPerCycle.count }
        if count > 2000 { throw SpecError(file: file, key: "accelerators", value: String(count), problem: "too many hardware candidates for the exact method", accepted: "at most 2000") }
        return NASDesignSpec(file: file, name: name, tasks: tasks, hardware: hw, constraints: constraints, strategies: strategies, budget: budget, seed: seed, outputPrefix: prefix)
    }

    public func problem() throws -> CoExploration {
        let space = ASICSpace(accelerators: hardware.knobs, networks: [], technology: hardware.technology, peBudget: hardware.peBudget,
                              bandwidthBudgetBytesPerCycle: hardware.bandwidth)
        return try CoExploration(tasks: tasks, space: space, clockMHz: hardware.clockMHz, constraints: constraints)
    }
}
