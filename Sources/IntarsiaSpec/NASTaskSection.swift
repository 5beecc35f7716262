import Foundation
import IntarsiaNAS

/// One entry of a NAS spec's `tasks`: its space (NAS-Bench-201 by dataset, a built-in space, a
/// space file or an inline template), its weight and minimum accuracy, and its accuracy oracle.
extension NASDesignSpec {
    static let taskKeys = ["name", "dataset", "space", "weight", "min_accuracy", "oracle", "dead_operations", "hardware_cost"]

    /// One task: a NAS-Bench-201 dataset (`dataset`, the space `nb201` implied, the table's
    /// accuracies unless another oracle is given), or a space (`space`: a built-in name, `{file:
    /// PATH}` or an inline template) with an oracle (`{command: ...}`, `{table: CSV}` or `none`).
    static func parseTask(_ c: Cursor, table: NB201Table, specName: String, specDirectory base: String) throws -> CoExploration.Task {
        let m = try c.mapping(allowed: taskKeys)
        var dataset: NB201Table.Dataset?
        if let dc = m["dataset"] {
            guard let d = NB201Table.Dataset(rawValue: try dc.string()) else {
                throw dc.error("unknown dataset", accepted: NB201Table.Dataset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            dataset = d
        }
        var space: (any ArchitectureSpace)?
        if let sc = m["space"] {
            space = try readTaskSpace(sc, hasDataset: dataset != nil, task: c, base: base)
            if space != nil, let dc = m["dataset"] { throw dc.error("a dataset names a NAS-Bench-201 task; this task has its own space", accepted: "no 'dataset' with a space other than nb201") }
        } else if dataset == nil {
            throw SpecError(file: c.file, key: c.child("dataset"), problem: "missing required key (or give 'space')", accepted: NB201Table.Dataset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let name = try m["name"]?.string() ?? dataset?.rawValue ?? space!.name
        if name.isEmpty || name.contains(where: { $0 == "," || $0 == ":" || $0 == "\"" || $0.isWhitespace }) {
            throw (m["name"] ?? c).error("not a usable task name", accepted: "a name without spaces, commas, colons or quotes")
        }
        let weight = try m["weight"]?.double(min: 0, max: 1000) ?? 1
        let minimum = try m["min_accuracy"]?.double(min: 0, max: 100)
        // The oracle: the NAS-Bench-201 table by default for a dataset, none for other spaces.
        var oracle: CommandOracle?
        var accuracies: [Double]? = space == nil ? table.accuracy[dataset!]! : nil
        if let oc = m["oracle"] {
            (oracle, accuracies) = try readOracle(oc, space: space ?? NB201Space(cells: table.cells, dataset: dataset!), isNB201: space == nil,
                                                  tableAccuracies: accuracies, specName: specName, base: base)
        }
        if minimum != nil && accuracies == nil && oracle == nil {
            throw (m["min_accuracy"] ?? c).error("a minimum accuracy needs an accuracy oracle; this task has none", accepted: "an oracle (command or table), or no min_accuracy")
        }
        if let s = space {
            if let dc = m["dead_operations"] { throw dc.error("applies to NAS-Bench-201 tasks only", accepted: "no dead_operations with a space other than nb201") }
            return CoExploration.Task(name: name, space: s, weight: weight, minimumAccuracy: minimum, table: accuracies, oracle: oracle)
        }
        var t = CoExploration.Task.nb201(dataset!, table: table, weight: weight, minimumAccuracy: minimum, oracle: oracle)
        if let dc = m["dead_operations"] {
            guard let d = NB201Network.DeadOperations(rawValue: try dc.string()) else { throw dc.error("unknown treatment of dead operations", accepted: NB201Network.DeadOperations.acceptedNames) }
            var nb = t.space as! NB201Space
            nb.deadOperations = d
            t.space = nb
        }
        t.name = name
        t.table = accuracies
        return t
    }

    /// The task's `space`: nil for `nb201` (which needs a dataset), a built-in by name, a space
    /// file (`{file: PATH}`, relative to the spec's folder) or an inline template.
    static func readTaskSpace(_ sc: Cursor, hasDataset: Bool, task c: Cursor, base: String) throws -> (any ArchitectureSpace)? {
        let spaceAccepted = "nb201 (with dataset), " + BuiltinSpaces.names.joined(separator: ", ") + ", {file: PATH} or an inline space {name, input, choices, network}"
        if case .scalar = sc.node {
            let n = try sc.string()
            if n == "nb201" {
                guard hasDataset else { throw SpecError(file: c.file, key: c.child("dataset"), problem: "missing required key for space nb201", accepted: NB201Table.Dataset.allCases.map(\.rawValue).joined(separator: ", ")) }
                return nil
            }
            guard BuiltinSpaces.names.contains(n) else { throw sc.error("unknown space", accepted: spaceAccepted) }
            return try BuiltinSpaces.named(n)
        }
        if case .mapping(let mm) = sc.node, mm.keys.contains(where: { $0.string == "file" }) {
            let fm = try sc.mapping(allowed: ["file"])
            let fc = try sc.required("file", in: fm)
            let path = try fc.string()
            let full = path.hasPrefix("/") ? path : base + "/" + path
            guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
                throw fc.error("cannot be read (relative paths are from the spec's folder)", accepted: "a readable space file (YAML: name, input, choices, network)")
            }
            return try NASSpaceSpec.parse(text: text, file: full)
        }
        return try parseSpace(sc)
    }

    /// The task's `oracle`: `none`, `table` (NAS-Bench-201 only: `tableAccuracies` kept), a table
    /// file, or a command; the command oracle, and the accuracies by architecture index if known.
    static func readOracle(_ oc: Cursor, space: @autoclosure () -> any ArchitectureSpace, isNB201: Bool, tableAccuracies: [Double]?,
                           specName: String, base: String) throws -> (CommandOracle?, [Double]?) {
        let oracleAccepted = "{command: CMD, timeout_s: S, cache: PATH}, {table: CSV with columns architecture,accuracy}, table (NAS-Bench-201 only) or none"
        if case .scalar = oc.node {
            switch try oc.string() {
            case "none": return (nil, nil)
            case "table" where isNB201: return (nil, tableAccuracies)
            default: throw oc.error("unknown oracle", accepted: oracleAccepted)
            }
        }
        let om = try oc.mapping(allowed: ["command", "timeout_s", "cache", "table"])
        if let tc = om["table"] {
            if om["command"] != nil { throw tc.error("give either a command or a table", accepted: oracleAccepted) }
            return (nil, try readAccuracyTable(tc, space: space(), base: base))
        }
        let cmd = try oc.required("command", in: om, accepted: "a shell command with {arch} and {task}")
        let text = try cmd.string()
        if !text.contains("{arch}") { throw cmd.error("the command must take the architecture", accepted: "a command containing {arch}") }
        let cache = try om["cache"]?.string() ?? "results/nas/\(specName)-oracle-cache.jsonl"
        let oracle = CommandOracle(command: text, timeoutSeconds: try om["timeout_s"]?.double(min: 0, max: 86_400, exclusiveMin: true) ?? 60,
                                   cachePath: cache, specDirectory: base)
        return (oracle, nil)
    }
}
