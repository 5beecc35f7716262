import IntarsiaCore
import IntarsiaFPGA

/// The on-chip buffers side by side: what the model counts (`OnChipBuffers`, the source of its
/// BRAM18K and URAM figures) and what the emitted code declares, for the README; and whether the
/// declared buffers fit the part.
extension HLSDesign {
    /// Bytes of each storage kind the emitted buffers need, and what the part has beyond its
    /// shell (BRAM18K: 2,048 data bytes a block, URAM: 32,768, `FPGAPlatform`); LUTRAM has no
    /// limit here (each buffer in it is under 1 KiB, and the model counts it in LUTs, not blocks).
    public var bufferFit: [(storage: BufferStorage, neededBytes: Int, availableBytes: Int?)] {
        let b = emittedBuffers
        func need(_ s: BufferStorage) -> Int { b.filter { $0.storage == s }.reduce(0) { $0 + $1.bytes } }
        let bram = Int(Double(max(0, platform.bram18k - platform.shell.bram18k)) * FPGAPlatform.bram18kBytes)
        let uram = Int(Double(max(0, platform.uram - platform.shell.uram)) * FPGAPlatform.uramBytes)
        return [(.bram, need(.bram), bram), (.uram, need(.uram), uram), (.lutram, need(.lutram), nil)]
    }

    /// The storage kinds whose declared buffers exceed the part, as one sentence; nil when they fit.
    public var bufferOverflow: String? {
        let over = bufferFit.filter { f in f.availableBytes.map { f.neededBytes > $0 } ?? false }
        guard !over.isEmpty else { return nil }
        return over.map { "\($0.storage.rawValue): \($0.neededBytes) bytes declared, \($0.availableBytes!) available on \(platform.name) beyond its shell" }
            .joined(separator: "; ")
    }

    /// The model's buffers at the design's largest stage (what its BRAM18K and URAM figures
    /// count besides the scratchpad and the shell), or every task's in the dataflow template.
    var modelBuffersCounted: [OnChipBuffer] {
        modelBuffers.max { a, b in a.reduce(0) { $0 + $1.bytes } < b.reduce(0) { $0 + $1.bytes } } ?? []
    }

    /// The README's section: both lists and their totals per storage kind.
    func bufferSection() -> String {
        var s = "## On-chip buffers\n\n"
        let names = program.steps.map(\.name)
        let model = modelBuffersCounted
        s += "What the model counts (IntarsiaFPGA `OnChipBuffers`: its BRAM18K and URAM figures are these buffers' blocks"
        s += streaming ? "" : " at the largest stage, plus the scratchpad"
        s += ", plus the shell):\n\n| task | buffer | of | element bits | elements | bytes | storage | bram18k | uram |\n|---|---|---|---|---|---|---|---|---|\n"
        for b in model {
            let of = b.producer >= 0 && b.producer < names.count ? names[b.producer] : "-"
            let t = b.task < names.count ? names[b.task] : "\(b.task)"
            s += "| \(t) | \(b.role.rawValue) | \(of) | \(fmt(b.elementBits)) | \(fmt(b.elements)) | \(fmt(b.bytes)) | \(b.storage.rawValue) | \(fmt(b.blocks.bram18k)) | \(fmt(b.blocks.uram)) |\n"
        }
        s += "\nWhat the emitted code declares:\n\n| task | buffer | declared in | type | elements | bytes | storage |\n|---|---|---|---|---|---|---|\n"
        for b in emittedBuffers {
            s += "| \(b.task.isEmpty ? "-" : b.task) | \(b.name) | \(b.place.rawValue) | `\(b.cppType)` | \(b.elements) | \(b.bytes) | \(b.storage.rawValue) |\n"
        }
        s += "\n| storage | model bytes | model bram18k | model uram | emitted bytes | available bytes |\n|---|---|---|---|---|---|\n"
        for f in bufferFit {
            let m = model.filter { $0.storage == f.storage }
            s += "| \(f.storage.rawValue) | \(fmt(m.reduce(0) { $0 + $1.bytes })) | \(fmt(m.reduce(0) { $0 + $1.blocks.bram18k })) | \(fmt(m.reduce(0) { $0 + $1.blocks.uram })) | \(f.neededBytes) | \(f.availableBytes.map(String.init) ?? "-") |\n"
        }
        s += "\nDeclared \(emittedBufferBytes) bytes in all; the model counts \(modelBufferBytes).\n\n"
        return s
    }

    private func fmt(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
}
