import Foundation
import Yams

/// A YAML node with the key path that leads to it, so every error can say where it is.
struct Cursor {
    let file: String
    let path: String
    let node: Node

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ problem: String, value: Bool = true, accepted: String? = nil) -> SpecError {
        SpecError(file: file, key: path, value: value ? render(node) : nil, problem: problem, accepted: accepted)
    }

    func render(_ n: Node) -> String {
        switch n {
        case .scalar(let s): return s.string
        case .sequence: return "[list]"
        case .mapping: return "{mapping}"
        case .alias: return "*alias"
        }
    }

    /// The mapping's entries, checking every key is one of `allowed`.
    func mapping(allowed: [String]) throws -> [String: Cursor] {
        guard case .mapping(let m) = node else {
            throw error("expected a mapping with keys \(allowed.joined(separator: ", "))")
        }
        var out: [String: Cursor] = [:]
        for (k, v) in m {
            guard case .scalar(let ks) = k else { throw SpecError(file: file, key: path, problem: "a key is not a plain name") }
            let key = ks.string
            guard allowed.contains(key) else {
                throw SpecError(file: file, key: child(key), problem: "unknown key", accepted: allowed.joined(separator: ", "))
            }
            if out[key] != nil { throw SpecError(file: file, key: child(key), problem: "key given twice") }
            out[key] = Cursor(file: file, path: child(key), node: v)
        }
        return out
    }

    /// The entry `key` of `fields` (this cursor's mapping), or an error naming the missing key.
    func required(_ key: String, in fields: [String: Cursor], accepted: String? = nil) throws -> Cursor {
        guard let c = fields[key] else { throw SpecError(file: file, key: child(key), problem: "missing required key", accepted: accepted) }
        return c
    }

    /// A spec's `name` key, or the file's base name when it has none.
    /// The spec's name, which names its default output files (`results/NAME.csv`): one file-name
    /// word, so it can never point outside `results/` (`../../x`) or into a directory.
    func specName(in fields: [String: Cursor]) throws -> String {
        guard let c = fields["name"] else { return URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent }
        let name = try c.string()
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+")
        guard !name.isEmpty, name.count <= 200, name.allSatisfy(allowed.contains), name != ".", name != "..", !name.hasPrefix(".") else {
            throw c.error("not a file-name word (it names the output files results/NAME...)",
                          accepted: "letters, digits, '-', '_', '.' and '+', not starting with '.' (e.g. mlp-u280); set output.path to write elsewhere")
        }
        return name
    }

    func list() throws -> [Cursor] {
        guard case .sequence(let s) = node else { throw error("expected a list") }
        return s.enumerated().map { Cursor(file: file, path: "\(path)[\($0.offset)]", node: $0.element) }
    }

    /// A scalar or a list of scalars, as a list.
    func scalarOrList() throws -> [Cursor] {
        if case .sequence = node {
            let items = try list()
            if items.isEmpty { throw error("expected at least one value") }
            return items
        }
        return [self]
    }

    func string() throws -> String {
        guard case .scalar(let s) = node else { throw error("expected a single value, not a list or mapping") }
        return s.string
    }

    func int(min lo: Int = Int.min, max hi: Int = Int.max, what: String = "an integer") throws -> Int {
        let s = try string()
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
            throw error("expected \(what)", accepted: acceptedRange(lo, hi))
        }
        guard v >= lo && v <= hi else { throw error("out of range", accepted: acceptedRange(lo, hi)) }
        return v
    }

    func positiveInt(max hi: Int = 1 << 40) throws -> Int { try int(min: 1, max: hi, what: "a positive integer") }

    func double(min lo: Double, max hi: Double, exclusiveMin: Bool = false) throws -> Double {
        let s = try string()
        let acc = "a number \(exclusiveMin ? ">" : ">=") \(lo)\(hi.isFinite ? " and <= \(hi)" : "")"
        guard let v = Double(s), v.isFinite else { throw error("expected a number", accepted: acc) }
        guard (exclusiveMin ? v > lo : v >= lo) && v <= hi else { throw error("out of range", accepted: acc) }
        return v
    }

    func bool() throws -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false", accepted: "true, false")
        }
    }

    private func acceptedRange(_ lo: Int, _ hi: Int) -> String {
        switch (lo == Int.min, hi >= 1 << 40) {
        case (true, true): return "an integer"
        case (false, true): return "an integer >= \(lo)"
        case (true, false): return "an integer <= \(hi)"
        case (false, false): return "an integer from \(lo) to \(hi)"
        }
    }
}

enum YAMLDocument {
    /// Parses the text of a spec file into its root node, or a SpecError saying why it is not YAML.
    static func root(text: String, file: String) throws -> Cursor {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw SpecError(file: file, key: "", problem: "not valid YAML (\(Self.short(e)))", accepted: "a YAML mapping; see docs/SPEC.md")
        } catch {
            throw SpecError(file: file, key: "", problem: "not valid YAML (\(error))", accepted: "a YAML mapping; see docs/SPEC.md")
        }
        guard let node else { throw SpecError(file: file, key: "", problem: "the file is empty", accepted: "a YAML mapping; see docs/SPEC.md") }
        guard case .mapping = node else {
            throw SpecError(file: file, key: "", problem: "the file is YAML but not a mapping of spec keys", accepted: "a YAML mapping; see docs/SPEC.md")
        }
        return Cursor(file: file, path: "", node: node)
    }

    static func short(_ e: YamlError) -> String {
        String(describing: e).split(separator: "\n").first.map(String.init) ?? "parse error"
    }
}
