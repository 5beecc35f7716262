import Foundation
import IntarsiaCore

/// Reads an emitted project's C++ (src/params.h, src/intarsia_math.h, src/modules.h, src/stream_modules.h,
/// src/top.cpp) into its process network and simulates it (docs/HLS.md, "Timing simulation").
public enum HLSSimulator {
    static let sources = ["src/params.h", "src/intarsia_math.h", "src/modules.h", "src/stream_modules.h", "src/top.cpp"]

    public static func simulate(project: String, timing: SimTiming) throws -> SimulationResult {
        var lexer = CppLexer()
        var tokens: [CppToken] = []
        for s in sources {
            let path = (project as NSString).appendingPathComponent(s)
            // The streaming task bodies come with projects emitted since they were added.
            if s == "src/stream_modules.h" && !FileManager.default.fileExists(atPath: path) { continue }
            let data: Data
            do throws(InputFile.Unreadable) { data = try InputFile.read(path) } catch {
                throw SimulationError("\(error); accepted: a project directory written by intarsia hls (it has \(sources.joined(separator: ", ")))")
            }
            guard let text = String(data: data, encoding: .utf8) else { throw SimulationError("\(path): not UTF-8 text") }
            tokens += try lexer.tokens(text, file: path)
        }
        var program = CppProgram()
        program.comments = lexer.comments
        try program.read(tokens)
        let topPath = (project as NSString).appendingPathComponent("src/top.cpp")
        guard let top = program.functions.values.first(where: { f in f.body.contains { if case .pragma(let p, _) = $0 { return p.hasPrefix("INTERFACE") }; return false } }) else {
            throw SimulationError("\(topPath): no top function (a function with #pragma HLS INTERFACE); accepted: a project written by intarsia hls")
        }
        return try network(top, program, timing: timing, file: topPath).run()
    }

    static func network(_ top: CFunction, _ program: CppProgram, timing: SimTiming, file: String) throws -> NetworkSimulation {
        var env: [String: SimValue] = [:]
        var portBytes: [Int: Double] = [:]
        var bundles: [String] = []
        var streamDepth: [String: Int] = [:]
        var dataflow = false
        for case .pragma(let p, let at) in top.body {
            let fields = Self.fields(p)
            if p.hasPrefix("DATAFLOW") { dataflow = true }
            if p.hasPrefix("INTERFACE m_axi"), let port = fields["port"] {
                let bundle = fields["bundle"] ?? port
                if !bundles.contains(bundle) { bundles.append(bundle) }
                let i = bundles.firstIndex(of: bundle)!
                guard let param = top.parameters.first(where: { $0.name == port }) else {
                    throw SimulationError("\(at.where_): m_axi port \(port) is not a parameter of \(top.name)")
                }
                let bits = param.type.compactMap { program.typeBits[$0] }.first ?? 0
                guard bits > 0 else { throw SimulationError("\(at.where_): the element type of port \(port) (\(param.type.joined(separator: " "))) has no width the simulator can read") }
                portBytes[i] = Double((bits + 7) / 8)
                env[port] = .pointer(port: i)
            }
            if p.hasPrefix("STREAM"), let v = fields["variable"], let d = fields["depth"] {
                guard let depth = Int(d), depth >= 1 else { throw SimulationError("\(at.where_): stream \(v) has depth '\(d)'; accepted: a whole number of at least 1") }
                streamDepth[v] = depth
            }
        }
        var streams: [NetworkSimulation.Stream] = []
        var ids: [String: Int] = [:]
        for case .decl(let type, let ds, let at) in top.body where type.contains(where: { $0.hasSuffix("stream") }) {
            let args = (type.first { $0.hasPrefix("<") } ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "<> ")).components(separatedBy: " , ")
            let element = args.first ?? ""
            let declared = args.count > 1 ? Int(args[1]) : nil
            for d in ds {
                let depth = streamDepth[d.name] ?? declared ?? 2
                if let declared, let pragma = streamDepth[d.name], declared != pragma {
                    throw SimulationError("\(at.where_): stream \(d.name) is declared with depth \(declared) but its STREAM pragma says \(pragma)")
                }
                ids[d.name] = streams.count
                streams.append(.init(name: d.name, depth: depth, widthBits: program.typeBits[element] ?? 0))
            }
        }
        let builder = TraceBuilder(program: program, timing: timing, streams: ids, portElementBytes: portBytes)
        var processes: [NetworkSimulation.Process] = []
        for (n, id) in ids { env[n] = .stream(id) }
        if dataflow {
            for case .process(let call, let at) in top.body {
                guard case .call(let name, let targs, let args) = call else { throw SimulationError("\(at.where_): INTARSIA_PROCESS of something that is not a call") }
                builder.segments = []
                builder.tag = processName(name, args)
                try builder.call(name, targs: targs, args: args, env: env, at: at.where_)
                processes.append(.init(name: builder.tag, segments: builder.segments))
            }
            guard !processes.isEmpty else { throw SimulationError("\(file): a DATAFLOW top with no INTARSIA_PROCESS calls") }
        } else {
            builder.tag = top.name
            _ = try builder.exec(top.body, &env)
            processes.append(.init(name: top.name, segments: builder.segments))
        }
        return NetworkSimulation(streams: streams, processes: processes)
    }

    /// `task_fc1` → `fc1`, `fork_ln1` as it is; a library process by its function and first
    /// argument (`load_stream(in_fc1)`).
    static func processName(_ callee: String, _ args: [CExpr]) -> String {
        let bare = TraceBuilder.bare(callee)
        if bare.hasPrefix("task_") { return String(bare.dropFirst(5)) }
        if bare == callee { return bare }
        if case .name(let n)? = args.first { return "\(bare)(\(n))" }
        return bare
    }

    /// `key=value` words of a pragma.
    static func fields(_ pragma: String) -> [String: String] {
        var out: [String: String] = [:]
        for w in pragma.split(separator: " ") {
            let kv = w.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
        }
        return out
    }
}
