/// The C++ testbench: loads the seeded inputs and weights, calls the top function, compares each
/// output element with the Swift reference's golden value, prints `N passed, N failed` and
/// returns non-zero on any mismatch.
enum Testbench {
    static func source(_ d: HLSDesign) -> String {
        preamble + loads(d.program) + (d.streaming ? streamingRun(d) : sharedMemoryRun(d)) + footer
    }

    /// The includes and helpers: finding and loading the data files, filling and comparing.
    static let preamble = """
        // Testbench: golden data from Intarsia's Swift reference (tb/data, one raw integer per line).
        #include <cstdio>
        #include <cstdlib>
        #include <fstream>
        #include <string>
        #include <vector>
        #include "top.h"
        #include "modules.h"

        // The data directory: $INTARSIA_TB_DATA, else tb/data (make), else data or ../../../../tb/data (Vitis csim).
        static std::string data_path(const char* file) {
            const char* env = std::getenv("INTARSIA_TB_DATA");
            std::vector<std::string> dirs;
            if (env && *env) dirs.push_back(env);
            dirs.push_back("tb/data");
            dirs.push_back("data");
            dirs.push_back("../../../../tb/data");
            for (const std::string& d : dirs) {
                std::ifstream probe(d + "/" + file);
                if (probe.good()) return d + "/" + file;
            }
            std::fprintf(stderr, "testbench: cannot find %s (set INTARSIA_TB_DATA)\\n", file);
            std::exit(2);
        }

        static std::vector<long long> load(const char* file, size_t expected) {
            std::ifstream in(data_path(file));
            std::vector<long long> v;
            long long x;
            while (in >> x) v.push_back(x);
            if (v.size() != expected) {
                std::fprintf(stderr, "testbench: %s has %zu values, expected %zu\\n", file, v.size(), expected);
                std::exit(2);
            }
            return v;
        }

        template <class T> static void fill(T* dst, const std::vector<long long>& v) {
            for (size_t i = 0; i < v.size(); ++i) dst[i] = intarsia::from_raw<T>(v[i]);
        }

        static long passed = 0, failed = 0;

        template <class T> static void compare(const char* name, const T* got, const std::vector<long long>& want) {
            long bad = 0;
            for (size_t i = 0; i < want.size(); ++i) {
                const long long g = intarsia::raw(got[i]);
                if (g == want[i]) { ++passed; continue; }
                ++failed;
                if (++bad <= 5) std::printf("mismatch %s[%zu]: got %lld, expected %lld\\n", name, i, g, want[i]);
            }
            std::printf("%s: %zu elements, %ld mismatched\\n", name, want.size(), bad);
        }

        int main() {

        """

    /// Loads the input, each step's weights and each sink's expected output.
    static func loads(_ p: HLSProgram) -> String {
        var s = "    const std::vector<long long> input = load(\"input.dat\", \(p.graphInputElements));\n"
        for st in p.steps where st.hasWeights {
            let n = sanitize(st.name)
            s += "    const std::vector<long long> w_\(n)_raw = load(\"w_\(n).dat\", \(st.weightElements));\n"
        }
        for o in p.sinks {
            let n = sanitize(p.steps[o].name)
            s += "    const std::vector<long long> expected_\(n) = load(\"expected_\(n).dat\", \(p.steps[o].outputElements));\n"
        }
        return s
    }

    /// Dataflow: one buffer per m_axi port (inputs, weights, outputs), the call, the comparisons.
    static func streamingRun(_ d: HLSDesign) -> String {
        let p = d.program
        var s = ""
        var args: [String] = []
        for st in p.steps where st.inputs.contains(.graphInput) {
            let n = sanitize(st.name)
            s += "    std::vector<act_t> in_\(n)(\(p.graphInputElements));\n    fill(in_\(n).data(), input);\n"
            args.append("in_\(n).data()")
        }
        for st in p.steps where st.hasWeights {
            let n = sanitize(st.name)
            s += "    std::vector<cfg_\(n)::w_t> w_\(n)(\(st.weightElements));\n    fill(w_\(n).data(), w_\(n)_raw);\n"
            args.append("w_\(n).data()")
        }
        for o in p.sinks {
            let n = sanitize(p.steps[o].name)
            s += "    std::vector<act_t> out_\(n)(\(p.steps[o].outputElements));\n"
            args.append("out_\(n).data()")
        }
        s += "    \(d.topName)(\(args.joined(separator: ", ")));\n"
        return s + comparisons(p) { "out_\(sanitize(p.steps[$0].name)).data()" }
    }

    /// Each sink's output (where `output(sink)` points) compared with its expected values.
    static func comparisons(_ p: HLSProgram, output: (Int) -> String) -> String {
        p.sinks.map { o in "    compare(\"\(p.steps[o].name)\", \(output(o)), expected_\(sanitize(p.steps[o].name)));\n" }.joined()
    }

    /// Sequential and reconfigurable: the activation and weight buffers at the design's
    /// offsets, the call, the comparisons at the sinks' offsets.
    static func sharedMemoryRun(_ d: HLSDesign) -> String {
        let p = d.program
        var s = "    std::vector<act_t> dram(DRAM_ELEMS);\n    fill(dram.data(), input);\n"
        s += "    std::vector<w_t> weights(WEIGHT_ELEMS);\n"
        for (i, st) in p.steps.enumerated() where st.hasWeights {
            s += "    fill(weights.data() + \(d.weightOffset[i]), w_\(sanitize(st.name))_raw);\n"
        }
        s += "    \(d.topName)(dram.data(), weights.data());\n"
        return s + comparisons(p) { "dram.data() + \(d.offset[$0])" }
    }

    /// The summary line and the exit code.
    static let footer = """
            std::printf("%ld passed, %ld failed\\n", passed, failed);
            return failed == 0 ? 0 : 1;
        }

        """
}
