import IntarsiaCore
import IntarsiaFPGA

/// One on-chip buffer the emitted code declares: a task's local array, a FIFO between
/// processes, or the scratchpad. Its storage follows the model's rule (`OnChipBuffers.storage`).
public struct EmittedBuffer: Sendable, Encodable, Equatable {
    public enum Place: String, Sendable, Encodable {
        /// Declared in top.cpp with its BIND_STORAGE pragma.
        case topFunction = "top.cpp"
        /// Declared inside a module of the library (modules.h, stream_modules.h): the tool picks
        /// its storage.
        case module = "module"
        /// An `hls::stream` of the dataflow template.
        case fifo = "fifo"
    }

    /// The task it belongs to; "" for FIFOs and the scratchpad.
    public var task: String
    public var name: String
    public var place: Place
    public var cppType: String
    public var elementBits: Int
    public var elements: Int
    public var storage: BufferStorage

    public var bytes: Int { (elements * elementBits + 7) / 8 }

    init(task: String, name: String, place: Place, cppType: String, elementBits: Int, elements: Int, uramAvailable: Bool) {
        self.task = task
        self.name = name
        self.place = place
        self.cppType = cppType
        self.elementBits = elementBits
        self.elements = elements
        storage = OnChipBuffers.storage(bytes: Double(elements * elementBits) / 8, uramAvailable: uramAvailable)
    }

    /// The declaration with its pragmas (top-function buffers only): `static` arrays, cyclically
    /// partitioned by `partition` along their only dimension, bound to the buffer's storage.
    func declaration(partition: Int) -> String {
        var s = "    static \(cppType) \(name)[\(elements)];\n"
        if partition > 1 { s += "#pragma HLS ARRAY_PARTITION variable=\(name) cyclic factor=\(partition) dim=1\n" }
        return s + "#pragma HLS BIND_STORAGE variable=\(name) type=ram_2p impl=\(storage.pragmaImpl)\n"
    }
}

extension HLSDesign {
    /// Every on-chip buffer the emitted code declares: dataflow, each task's buffers and the
    /// FIFOs; sequential and reconfigurable, the scratchpad and each unit's column buffer (one column or
    /// filter: gemm_weights and the convolutions keep what their first row step reads).
    public var emittedBuffers: [EmittedBuffer] {
        let uram = platform.uram > platform.shell.uram
        let a = program.activationFormat
        if streaming {
            var out = program.steps.indices.flatMap { DataflowTasks.plan(self, $0).buffers }
            for (name, depth) in DataflowEmitter.allStreams(self) {
                out.append(EmittedBuffer(task: "", name: name, place: .fifo, cppType: "act_t", elementBits: a.bits, elements: depth, uramAvailable: uram))
            }
            return out
        }
        var out = [EmittedBuffer(task: "", name: "scratch", place: .topFunction, cppType: "act_t", elementBits: a.bits,
                                 elements: scratchElements, uramAvailable: uram)]
        let column = program.steps.map { KernelCalls.weightTerms($0) * $0.weightFormat.bits }.max() ?? 0
        for u in 0..<programUnits {
            out.append(EmittedBuffer(task: "", name: "cu\(u).col", place: .module, cppType: "bits", elementBits: 1,
                                     elements: column, uramAvailable: uram))
            let staged = ProgramEmitter.stagingSizes(ProgramEmitter.instructions(self).list)
            for (name, size) in [("a_stage", staged.a), ("b_stage", staged.b), ("y_stage", staged.y)] where size > 0 {
                out.append(EmittedBuffer(task: "", name: "cu\(u).\(name)", place: .module, cppType: "act_t", elementBits: a.bits,
                                         elements: size, uramAvailable: uram))
            }
            let tconv = ProgramEmitter.transposedOutputs(program)
            if tconv > 0 {
                let bits = max(1, program.steps.map(\.accumulatorBits).max() ?? 1)
                out.append(EmittedBuffer(task: "", name: "cu\(u).tconv_acc", place: .module, cppType: "ap_int<ACC_W>", elementBits: bits,
                                         elements: tconv, uramAvailable: uram))
            }
        }
        return out
    }

    /// Bytes of on-chip buffers the emitted code declares (`emittedBuffers`).
    public var emittedBufferBytes: Int { emittedBuffers.reduce(0) { $0 + $1.bytes } }

    /// Bytes of on-chip buffers the model counts, LUTRAM included: the largest stage's
    /// (`modelBuffersCounted`; every task's in the dataflow template) and the scratchpad.
    public var modelBufferBytes: Int {
        let scratch = streaming ? 0 : Double(point.scratchpadKiB) * 1024
        return Int((modelBuffersCounted.reduce(0) { $0 + $1.bytes } + scratch).rounded(.up))
    }
}
