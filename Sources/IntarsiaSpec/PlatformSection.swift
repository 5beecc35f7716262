import Foundation
import IntarsiaCore

/// A spec's `platform`: a catalog name, or a mapping with `name` (or `base`), an optional
/// `override` file of platform constants (docs/SPEC.md; the path relative to the spec's folder)
/// and figures that replace the catalog's. The spec's own figures win over the override file's.
enum PlatformSection {
    static let figureKeys = ["dsp", "bram18k", "uram", "lut", "ff", "memory_gbps", "memory_channels"]
    /// The figures and constants a spec may set (every constant of `PlatformConstants`).
    static var overrideKeys: [String] { figureKeys + PlatformConstants.all.map(\.name) }

    static func read(_ c: Cursor) throws -> FPGAPlatform {
        let m: [String: Cursor]
        if case .scalar = c.node {
            m = ["name": Cursor(file: c.file, path: c.child("name"), node: c.node)]
        } else {
            m = try c.mapping(allowed: ["name", "base", "override"] + overrideKeys)
        }
        if let b = m["base"], m["name"] != nil {
            throw b.error("both name and base are given", value: false, accepted: "one of them: the catalog part (\(PlatformCatalog.acceptedNames))")
        }
        let n = try m["base"] ?? c.required("name", in: m, accepted: PlatformCatalog.acceptedNames + " (as name, or as base with an override)")
        guard var p = PlatformCatalog.named(try n.string()) else { throw n.error("unknown platform", accepted: PlatformCatalog.acceptedNames) }
        if let o = m["override"] { p = try PlatformOverride.apply(o, to: p) }
        if let v = m["dsp"] { p.dsp = try v.positiveInt() }
        if let v = m["bram18k"] { p.bram18k = try v.int(min: 0) }
        if let v = m["uram"] { p.uram = try v.int(min: 0) }
        if let v = m["lut"] { p.lut = try v.positiveInt() }
        if let v = m["ff"] { p.ff = try v.positiveInt() }
        if let v = m["memory_gbps"] { p.memories[p.memories.firstIndex(of: p.mainMemory)!].totalGBps = try v.double(min: 0, max: 1e5, exclusiveMin: true) }
        if let v = m["memory_channels"] { p.memories[p.memories.firstIndex(of: p.mainMemory)!].channels = try v.int(min: 1, max: 1024) }
        try PlatformOverride.setConstants(m, on: &p)
        return p
    }
}

/// A platform override file (what `intarsia calibrate` writes): `base` (the catalog part it was
/// fitted for) and `constants`, a mapping of `PlatformConstants` names to values within their
/// physical bounds.
enum PlatformOverride {
    static let accepted = "a platform override YAML (base: PART, constants: {NAME: VALUE}), as intarsia calibrate writes it; the path relative to the spec's folder"

    static func setConstants(_ m: [String: Cursor], on p: inout FPGAPlatform) throws {
        for k in PlatformConstants.all {
            guard let v = m[k.name] else { continue }
            k.set(try v.double(min: k.lowerBound, max: k.upperBound), in: &p)
        }
    }

    static func apply(_ c: Cursor, to base: FPGAPlatform) throws -> FPGAPlatform {
        let name = try c.string()
        if name.isEmpty { throw c.error("empty path", accepted: accepted) }
        let folder = (c.file as NSString).deletingLastPathComponent
        let path = name.hasPrefix("/") || folder.isEmpty ? name : folder + "/" + name
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw c.error("no such file, or not readable UTF-8 text (looked for \(path))", accepted: accepted)
        }
        let root = try YAMLDocument.root(text: text, file: path)
        let top = try root.mapping(allowed: ["base", "constants"])
        let b = try root.required("base", in: top, accepted: base.name)
        guard try b.string().lowercased() == base.name else {
            throw b.error("the override was fitted for another platform than the spec's base (\(base.name))", accepted: base.name)
        }
        let constants = try root.required("constants", in: top, accepted: PlatformConstants.acceptedNames)
        var p = base
        try setConstants(try constants.mapping(allowed: PlatformConstants.all.map(\.name)), on: &p)
        return p
    }
}
