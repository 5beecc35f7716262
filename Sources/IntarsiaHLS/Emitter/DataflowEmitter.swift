/// The dataflow template: one process per task under `#pragma HLS DATAFLOW`, `hls::stream`s
/// between them with the model's depths, load processes at the m_axi inputs, store processes at
/// the outputs, and a fork process where a tensor has several consumers.
enum DataflowEmitter {
    struct Port {
        var declaration: String
        var pragma: String
    }

    /// The top function's m_axi ports, in argument order: inputs per consumer, weights per task,
    /// outputs per sink (the testbench passes them in the same order).
    static func ports(_ d: HLSDesign) -> [Port] {
        let p = d.program
        var ports: [Port] = []
        for (i, s) in p.steps.enumerated() where s.inputs.contains(.graphInput) {
            let n = "in_\(sanitize(s.name))"
            ports.append(Port(declaration: "const act_t* \(n)", pragma: "#pragma HLS INTERFACE m_axi port=\(n) offset=slave bundle=\(d.inputBundle[i] ?? "gmem0") depth=\(p.graphInputElements)"))
        }
        for (i, s) in p.steps.enumerated() where s.hasWeights {
            let n = "w_\(sanitize(s.name))"
            ports.append(Port(declaration: "const cfg_\(sanitize(s.name))::w_t* \(n)", pragma: "#pragma HLS INTERFACE m_axi port=\(n) offset=slave bundle=\(d.weightBundle[i] ?? "gmem0") depth=\(s.weightElements)"))
        }
        for o in p.sinks {
            let n = "out_\(sanitize(p.steps[o].name))"
            ports.append(Port(declaration: "act_t* \(n)", pragma: "#pragma HLS INTERFACE m_axi port=\(n) offset=slave bundle=\(d.outputBundle[o] ?? "gmem0") depth=\(p.steps[o].outputElements)"))
        }
        return ports
    }

    /// The top function's pieces as they are built: the process definitions before it, its
    /// stream declarations and its process calls.
    struct TopParts {
        var processes = ""
        var declarations = ""
        var calls = ""
        /// Every stream declared, with its depth (elements).
        var streams: [(name: String, depth: Int)] = []

        mutating func stream(_ name: String, _ depth: Int, _ why: String) {
            streams.append((name, depth))
            declarations += "    hls::stream<act_t, \(depth)> \(name)(\"\(name)\");  // \(why)\n"
            declarations += "#pragma HLS STREAM variable=\(name) depth=\(depth)\n"
        }
    }

    /// The declared streams: graph-input streams, the edges' FIFOs, streams to the store
    /// processes and into the forks, in declaration order.
    static func declareStreams(_ d: HLSDesign, _ parts: inout TopParts) -> (inputs: [[String]], outputs: [String]) {
        let inputStreams = inputStreams(d, &parts)
        for e in d.streams {
            let why = d.forks.contains(e.producer) && e.depth >= d.program.steps[e.producer].outputElements
                ? "fork whose branches meet again: the whole tensor" : "the model's FIFO: two output pieces"
            parts.stream(e.name, e.depth, why)
        }
        return (inputStreams, outputStreams(d, &parts))
    }

    /// Every stream of the design with its depth (elements).
    static func allStreams(_ d: HLSDesign) -> [(name: String, depth: Int)] {
        var parts = TopParts()
        _ = declareStreams(d, &parts)
        return parts.streams
    }

    static func top(_ d: HLSDesign) -> String {
        let ports = ports(d)
        var parts = TopParts()
        let (inputStreams, outputStream) = declareStreams(d, &parts)
        taskProcesses(d, inputStreams: inputStreams, outputStream: outputStream, &parts)
        var s = "// Dataflow template: one process per task, FIFOs between them, nothing spills off chip.\n"
        s += "#include \"top.h\"\n#include \"modules.h\"\n\n"
        s += parts.processes
        s += "extern \"C\" void \(d.topName)(\(ports.map(\.declaration).joined(separator: ", "))) {\n"
        for port in ports { s += port.pragma + "\n" }
        s += "#pragma HLS INTERFACE s_axilite port=return\n#pragma HLS DATAFLOW\n"
        s += parts.declarations
        s += "    INTARSIA_DATAFLOW_BEGIN\n" + parts.calls + "    INTARSIA_DATAFLOW_END\n}\n"
        return s
    }

    /// Each task's input streams, in operand order: graph-input streams (declared here, with
    /// their load process) and the edges' FIFOs.
    static func inputStreams(_ d: HLSDesign, _ parts: inout TopParts) -> [[String]] {
        let p = d.program
        var inputStreams = [[String]](repeating: [], count: p.steps.count)
        for (i, s) in p.steps.enumerated() {
            let n = sanitize(s.name)
            for (j, src) in s.inputs.enumerated() {
                switch src {
                case .graphInput:
                    // One load process per task; a task that reads the input twice gets a copy
                    // per operand, each deep enough for the whole tensor (it may read one whole first).
                    let uses = s.inputs.filter { $0 == .graphInput }.count
                    let sn = uses > 1 ? "input_to_\(n)_in\(j)" : "input_to_\(n)"
                    parts.stream(sn, uses > 1 ? max(2, p.graphInputElements) : 2, "graph input, loaded from in_\(n)")
                    inputStreams[i].append(sn)
                    if j == s.inputs.lastIndex(of: .graphInput) {
                        let names = inputStreams[i].enumerated().filter { s.inputs[$0.offset] == .graphInput }.map(\.element)
                        if names.count == 1 {
                            parts.calls += "    INTARSIA_PROCESS(intarsia::load_stream<act_t>(in_\(n), \(sn), \(p.graphInputElements)));\n"
                        } else {
                            parts.processes += fanOut("load_\(n)", comment: "Loads the graph input once for each of \(s.name)'s \(names.count) operands that read it.",
                                                      source: "const act_t* src", read: "src[i]", outputs: names.count, elements: p.graphInputElements)
                            parts.calls += "    INTARSIA_PROCESS(load_\(n)(in_\(n), \(names.joined(separator: ", "))));\n"
                        }
                    }
                case .task(let q):
                    let e = d.streams.first { $0.producer == q && $0.consumer == i && $0.operand == j }!
                    inputStreams[i].append(e.name)
                case .weights: break
                }
            }
        }
        return inputStreams
    }

    /// Each task's output stream: to the store process (sinks, declared here), into the fork
    /// (declared here), or its one edge's FIFO.
    static func outputStreams(_ d: HLSDesign, _ parts: inout TopParts) -> [String] {
        let p = d.program
        var outputStream = [String](repeating: "", count: p.steps.count)
        for (i, s) in p.steps.enumerated() {
            let n = sanitize(s.name)
            if p.sinks.contains(i) {
                outputStream[i] = "\(n)_to_output"
                parts.stream(outputStream[i], 2, "to the store process")
            } else if d.forks.contains(i) {
                outputStream[i] = "\(n)_out"
                parts.stream(outputStream[i], 2, "into the fork")
            } else {
                outputStream[i] = d.streams.first { $0.producer == i }!.name
            }
        }
        return outputStream
    }

    /// Each task's process and its call, then its store process or fork.
    static func taskProcesses(_ d: HLSDesign, inputStreams: [[String]], outputStream: [String], _ parts: inout TopParts) {
        let p = d.program
        for (i, s) in p.steps.enumerated() {
            let n = sanitize(s.name)
            var params = inputStreams[i].enumerated().map { "hls::stream<act_t>& in\($0.offset)" }
            var args = inputStreams[i]
            if s.hasWeights {
                params.append("const cfg_\(n)::w_t* w")
                args.append("w_\(n)")
            }
            params.append("hls::stream<act_t>& out")
            args.append(outputStream[i])
            parts.processes += "// \(KernelCalls.describe(s)); stage \(d.stage[i]), \(d.lanes[i]) lane(s)\n"
            parts.processes += "static void task_\(n)(\(params.joined(separator: ", "))) {\n"
            parts.processes += body(d, i)
            parts.processes += "}\n\n"
            parts.calls += "    INTARSIA_PROCESS(task_\(n)(\(args.joined(separator: ", "))));\n"
            if p.sinks.contains(i) {
                if d.columnRows[i] > 0 {
                    // A column-order stream (`DataflowHeldBuffers.columnRows`): each element written to its row-major place.
                    let rows = d.columnRows[i]
                    parts.calls += "    INTARSIA_PROCESS(intarsia::store_stream_cols<act_t>(\(outputStream[i]), out_\(n), \(rows), \(s.outputElements / rows)));\n"
                } else {
                    parts.calls += "    INTARSIA_PROCESS(intarsia::store_stream<act_t>(\(outputStream[i]), out_\(n), \(s.outputElements)));\n"
                }
            } else if d.forks.contains(i) {
                let outs = d.streams.filter { $0.producer == i }
                parts.processes += fanOut("fork_\(n)", comment: "Fork: \(s.name)'s output to \(outs.count) consumers.",
                                          source: "hls::stream<act_t>& in", read: "in.read()", outputs: outs.count, elements: s.outputElements)
                parts.calls += "    INTARSIA_PROCESS(fork_\(n)(\(outputStream[i]), \(outs.map(\.name).joined(separator: ", "))));\n"
            }
        }
    }

    /// A process that reads each element once (`read`, from `source`) and writes it to `outputs` streams.
    static func fanOut(_ name: String, comment: String, source: String, read: String, outputs: Int, elements: Int) -> String {
        var f = "// \(comment)\n"
        f += "static void \(name)(\(source), \((0..<outputs).map { "hls::stream<act_t>& out\($0)" }.joined(separator: ", "))) {\n"
        f += "\(name)_loop:\n    for (int i = 0; i < \(elements); ++i) {\n#pragma HLS PIPELINE II=1\n        const act_t v = \(read);\n"
        for k in 0..<outputs { f += "        out\(k).write(v);\n" }
        return f + "    }\n}\n\n"
    }

    static func body(_ d: HLSDesign, _ i: Int) -> String { DataflowTasks.plan(d, i).code }
}
