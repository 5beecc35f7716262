import Foundation
import Testing

/// The module graph of issue 13 ("a module graph that follows the data"), encoded once: for each
/// module of Package.swift, the modules it may depend on and import. A module absent from the
/// tree is simply absent from the checks; a module in Package.swift missing here fails the test.
/// docs/ARCHITECTURE.md draws the same graph.
enum ModuleGraph {
    static let allowed: [String: Set<String>] = {
        let models: Set<String> = ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaASIC", "IntarsiaNAS", "IntarsiaONNX", "IntarsiaExplore", "IntarsiaRows"]
        var t: [String: Set<String>] = [
            "CGLPK": [],
            "CXGBoost": [],
            "CGLPKGuard": ["CGLPK"],
            "IntarsiaCore": [],
            "IntarsiaGLPK": ["CGLPKGuard"],
            "IntarsiaONNX": ["IntarsiaCore", "SwiftProtobuf"],
            "IntarsiaRows": ["IntarsiaCore"],
            "IntarsiaExplore": ["IntarsiaCore"],
            "IntarsiaMapping": ["IntarsiaCore", "IntarsiaGLPK"],
            "IntarsiaFPGA": ["IntarsiaCore", "IntarsiaExplore"],
            "IntarsiaScheduler": ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaGLPK"],
            "IntarsiaASIC": ["IntarsiaCore", "IntarsiaMapping", "IntarsiaExplore"],
            "IntarsiaNAS": ["IntarsiaCore", "IntarsiaASIC", "IntarsiaFPGA", "IntarsiaGLPK", "IntarsiaExplore", "IntarsiaRows", "CXGBoost"],
            "IntarsiaSearch": ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaExplore"],
            "IntarsiaSpec": models.union(["Yams"]),
            "IntarsiaReports": ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaSearch", "IntarsiaRows"],
            "IntarsiaHLS": ["IntarsiaCore", "IntarsiaFPGA"],
            "IntarsiaHLSSim": ["IntarsiaCore"],
            "IntarsiaCalibrate": ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaRows"],
            "intarsia": ["IntarsiaDriver", "ArgumentParser"],
        ]
        // The driver may use every library module above (not the executable).
        t["IntarsiaDriver"] = Set(t.keys).subtracting(["intarsia"])
        return t
    }()

    /// Edges of today's tree that the graph forbids and that are being removed (issue 13). Empty
    /// it as they go: the test fails when an edge listed here no longer exists, so the list only
    /// shrinks.
    static let knownBeingRemoved: Set<Edge> = []

    struct Edge: Hashable, CustomStringConvertible {
        var from: String
        var to: String
        var description: String { "\(from) -> \(to)" }
    }

    /// Non-test targets of Package.swift with their declared dependencies (targets and products).
    static func declared(_ package: String) throws -> [String: Set<String>] {
        let target = try Regex(#"\.(target|executableTarget|systemLibrary)\(name: "(\w+)"(?:, dependencies: \[([^\]]*)\])?"#)
        let quoted = try Regex(#"(?:\.product\(name: )?"([\w-]+)"(?:, package: "[\w-]+"\))?"#)
        var out: [String: Set<String>] = [:]
        for m in package.matches(of: target) {
            let name = String(m.output[2].substring!)
            let list = m.output[3].substring.map(String.init) ?? ""
            out[name] = Set(list.matches(of: quoted).map { String($0.output[1].substring!) })
        }
        return out
    }

    /// Modules each source module imports (`import X`, `@testable import X`, `import struct X.Y`),
    /// among `known` (system modules such as Foundation are not part of the graph).
    static func imported(known: Set<String>) throws -> [String: Set<String>] {
        let line = try Regex(#"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)"#).anchorsMatchLineEndings()
        var out: [String: Set<String>] = [:]
        for f in try Repository.swiftSources() {
            for m in f.text.matches(of: line) {
                let name = String(m.output[1].substring!)
                if known.contains(name) { out[f.module, default: []].insert(name) }
            }
        }
        return out
    }

    /// A documented name: `Core` stands for `IntarsiaCore`; text in parentheses is a comment.
    static func expand(_ text: some StringProtocol, names: Set<String>) -> String? {
        let bare = String(text.split(separator: "(")[0]).trimmingCharacters(in: CharacterSet(charactersIn: " `"))
        if names.contains("Intarsia" + bare) { return "Intarsia" + bare }
        return names.contains(bare) ? bare : nil
    }

    /// The module table: rows `| `MODULE` | concern | A, B |` ("—" for none).
    static func documentedTable(_ markdown: String, names: Set<String>) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for line in markdown.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count >= 4, let module = expand(cells[1], names: names) else { continue }
            out[module] = Set(cells[cells.count - 2].split(separator: ",").compactMap { expand($0, names: names) })
        }
        return out
    }

    /// The module diagram: lines `MODULE ──▶ A, B` (a chain `A ──▶ B ──▶ C` is two edges); a
    /// module with no arrow stands alone.
    static func documentedDiagram(_ markdown: String, names: Set<String>) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for line in markdown.split(separator: "\n") {
            let pieces = line.split(separator: "▶").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ─")) }
            guard let first = pieces.first, let head = expand(first, names: names) else { continue }
            if pieces.count == 1 { out[head] = out[head] ?? []; continue }
            for k in 0..<(pieces.count - 1) {
                guard let from = expand(pieces[k], names: names) else { continue }
                out[from, default: []].formUnion(pieces[k + 1].split(separator: ",").compactMap { expand($0, names: names) })
            }
        }
        return out
    }

    /// Every edge (declared or imported) of the tree as it is.
    static func edges() throws -> Set<Edge> {
        let declared = try declared(Repository.text("Package.swift"))
        let known = Set(declared.keys).union(declared.values.flatMap { $0 })
        var edges: Set<Edge> = []
        for (from, tos) in declared { for to in tos { edges.insert(Edge(from: from, to: to)) } }
        for (from, tos) in try imported(known: known) { for to in tos where to != from { edges.insert(Edge(from: from, to: to)) } }
        return edges
    }
}

@Suite struct ModuleGraphTests {
    @Test func everyModuleIsInTheAllowedTable() throws {
        let modules = try ModuleGraph.declared(Repository.text("Package.swift")).keys
        #expect(!modules.isEmpty, "no targets read from Package.swift")
        for m in modules { #expect(ModuleGraph.allowed[m] != nil, "\(m): not in ModuleGraph.allowed; add it with the modules it may depend on") }
    }

    @Test func noModuleDependsOnOrImportsOneItShouldNot() throws {
        let edges = try ModuleGraph.edges()
        let violations = edges.filter { e in ModuleGraph.allowed[e.from].map { !$0.contains(e.to) } ?? false }
        for e in violations.subtracting(ModuleGraph.knownBeingRemoved).sorted(by: { $0.description < $1.description }) {
            Issue.record("\(e): against the module graph (Tests/IntarsiaArchitectureTests/ModuleGraphTests.swift, docs/ARCHITECTURE.md)")
        }
        for e in ModuleGraph.knownBeingRemoved.subtracting(violations) {
            Issue.record("\(e): gone; remove it from ModuleGraph.knownBeingRemoved")
        }
    }

    /// The executable declares what it imports: nothing reaches it through a re-export.
    @Test func nothingIsReExported() throws {
        for f in try Repository.swiftSources() where f.text.contains("@_exported") {
            Issue.record("\(f.path): @_exported import; import the module where it is used instead")
        }
    }

    /// docs/ARCHITECTURE.md is drawn from Package.swift: its module table's "depends on" column
    /// and its module diagram give every target's dependencies, no more, no fewer.
    @Test func docsMatchPackage() throws {
        let declared = try ModuleGraph.declared(Repository.text("Package.swift"))
        let doc = try Repository.text("docs/ARCHITECTURE.md")
        let names = Set(declared.keys).union(declared.values.flatMap { $0 })
        #expect(ModuleGraph.documentedTable(doc, names: names) == declared, "docs/ARCHITECTURE.md's module table")
        #expect(ModuleGraph.documentedDiagram(doc, names: names) == declared, "docs/ARCHITECTURE.md's module diagram")
    }

    /// The checks can fail: an edge against the graph is found in a made-up Package.swift.
    @Test func theChecksSeeAForbiddenEdge() throws {
        let package = #"""
        .target(name: "IntarsiaASIC", dependencies: ["IntarsiaCore", "IntarsiaScheduler"], swiftSettings: strict),
        .target(name: "IntarsiaONNX", dependencies: ["IntarsiaCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        """#
        let d = try ModuleGraph.declared(package)
        #expect(d == ["IntarsiaASIC": ["IntarsiaCore", "IntarsiaScheduler"], "IntarsiaONNX": ["IntarsiaCore", "SwiftProtobuf"], "CGLPK": []])
        #expect(ModuleGraph.allowed["IntarsiaASIC"]?.contains("IntarsiaScheduler") == false)
    }
}
