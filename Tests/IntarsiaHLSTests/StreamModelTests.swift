import Foundation
import Testing

/// Our `hls::stream` model (templates/hls/sim/hls_stream.h) and the synthesizability lint
/// (templates/hls/sim/lint.sh), exercised with small C++ programs compiled by g++. Every expected
/// value below was worked out by hand from the program text.
@Suite struct StreamModelTests {
    static let sim = Toolchain.hlsTemplates.appendingPathComponent("sim")
    static let flags = ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-Wno-unknown-pragmas", "-pthread"]

    /// Compiles `source` against the stream model (threaded or sequential) and returns the program.
    static func build(_ name: String, _ source: String, threaded: Bool, defines: [String] = [],
                      extra: [String] = []) throws -> URL {
        let dir = try Toolchain.scratch("streams-\(name)")
        let src = dir.appendingPathComponent("\(name).cpp"), exe = dir.appendingPathComponent(name)
        try source.write(to: src, atomically: true, encoding: .utf8)
        let mode = threaded ? ["-DINTARSIA_THREADED_STREAMS"] : []
        let r = try Toolchain.run("g++", flags + mode + defines.map { "-D\($0)" } + extra
                                  + ["-I", sim.path, src.path, "-o", exe.path], timeoutSeconds: 180)
        try #require(r.status == 0, "g++ failed on \(name).cpp:\n\(r.output)")
        return exe
    }

    static func run(_ exe: URL, environment: [String: String] = [:], timeoutSeconds: Double = 60) throws -> Toolchain.Result {
        try Toolchain.run(exe.path, [], timeoutSeconds: timeoutSeconds, environment: environment)
    }

    static func requireAPTypes() throws {
        let header = Toolchain.apTypes.appendingPathComponent("ap_int.h")
        try #require(FileManager.default.fileExists(atPath: header.path),
                     "no ap_int.h in \(Toolchain.apTypes.path): run scripts/fetch-ap-types.sh first (it downloads the open AMD/Xilinx ap_types headers)")
    }

    // MARK: - sequential mode (as Vitis C simulation)

    static let basics = """
        #include <hls_stream.h>
        #include <cstdio>
        #include <type_traits>
        static_assert(!std::is_copy_constructible_v<hls::stream<int>>, "copyable");
        static_assert(!std::is_move_constructible_v<hls::stream<int>>, "movable");
        static_assert(!std::is_copy_assignable_v<hls::stream<int>>, "assignable");
        static_assert(INTARSIA_SIM_STREAMS == 1, "not our model");
        int main() {
            hls::stream<int> s("s");
            int v = 7;
            bool got = s.read_nb(v);
            std::printf("empty %d %d %zu %d\\n", got, v, s.size(), s.empty());
            for (int i = 1; i <= 10; ++i) s << i;
            std::printf("size %zu %d %d\\n", s.size(), s.empty(), s.full());
            int a = s.read(), b, c;
            s.read(b);
            s >> c;
            long sum = 0;
            while (s.read_nb(v)) sum += v;
            std::printf("order %d %d %d %ld %zu\\n", a, b, c, sum, s.size());
            hls::stream<int, 1> t;
            bool w1 = t.write_nb(5), w2 = t.write_nb(6);
            std::printf("depth %d %d %s %d %d %d %zu\\n", hls::stream<int>::depth, hls::stream<int, 5>::depth, s.name(), w1, w2, t.full(), t.size());
            t.read();
            t.read();
        }
        """

    @Test func sequentialFIFOOrderSizesAndNonBlockingCalls() throws {
        let r = try Self.run(try Self.build("basics", Self.basics, threaded: false))
        #expect(r.status == 0, "\(r.output)")
        // Sequential streams are unbounded: full() is false and write_nb succeeds past the depth.
        #expect(r.stdout == "empty 0 7 0 1\nsize 10 0 0\norder 1 2 3 49 0\ndepth 2 5 s 1 1 0 2\n")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func readFromAnEmptyStreamAbortsNamingIt() throws {
        let src = """
            #include <hls_stream.h>
            int main() { hls::stream<int> w("weights_in"); w.write(1); w.read(); return w.read(); }
            """
        let r = try Self.run(try Self.build("empty", src, threaded: false))
        #expect(r.status != 0)
        #expect(r.stderr.contains("hls::stream 'weights_in': read while empty"), "\(r.stderr)")
    }

    @Test func dataLeftOverIsReportedWithTheStreamName() throws {
        let src = """
            #include <hls_stream.h>
            int main() { hls::stream<short> p("partial_sums"); for (short i = 0; i < 4; ++i) p << i; p.read(); return 0; }
            """
        let r = try Self.run(try Self.build("leftover", src, threaded: false))
        #expect(r.status == 0)
        #expect(r.stderr.contains("hls::stream 'partial_sums': 3 element(s) left over"), "\(r.stderr)")
    }

    /// Three processes: produce i, map to 2i+1 (checking order), sum. 0 ≤ i < 100000 gives N² = 10^10.
    static let pipeline = """
        #include <hls_stream.h>
        #include <cstdio>
        static const long N = 100000;
        void produce(hls::stream<long>& o) { for (long i = 0; i < N; ++i) o.write(i); }
        void odd(hls::stream<long>& in, hls::stream<long>& o, long& misordered) {
            for (long i = 0; i < N; ++i) { long x = in.read(); misordered += x != i; o << 2 * x + 1; }
        }
        void total(hls::stream<long>& in, long& sum) { for (long i = 0; i < N; ++i) { long y; in >> y; sum += y; } }
        int main() {
            hls::stream<long> a("a"), b("b");
            long sum = 0, misordered = 0;
            INTARSIA_DATAFLOW_BEGIN
                INTARSIA_PROCESS(produce(a));
                INTARSIA_PROCESS(odd(a, b, misordered));
                INTARSIA_PROCESS(total(b, sum));
            INTARSIA_DATAFLOW_END
            std::printf("sum %ld misordered %ld left %zu %zu\\n", sum, misordered, a.size(), b.size());
            return 0;
        }
        """

    @Test(arguments: [false, true])
    func pipelineOf100000ItemsGivesTheChecksum(threaded: Bool) throws {
        let r = try Self.run(try Self.build("pipeline-\(threaded)", Self.pipeline, threaded: threaded))
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout == "sum 10000000000 misordered 0 left 0 0\n", "\(r.output)")
    }

    // MARK: - threaded mode: bounded FIFOs, deadlock detection

    @Test func threadedStreamsAreBoundedByTheirDepth() throws {
        let src = """
            #include <hls_stream.h>
            #include <cstdio>
            int main() {
                hls::stream<int, 4> s("s");
                hls::stream<int> d;
                int v = 9;
                bool got = s.read_nb(v);
                for (int i = 1; i <= 4; ++i) s.write(10 * i);
                bool extra = s.write_nb(50);
                int a = s.read(), b;
                s >> b;
                bool again = s.write_nb(60);
                long sum = 0;
                while (s.read_nb(v)) sum += v;
                std::printf("%d %d %d %d %d %d %ld %d %zu %d\\n", got, extra, a, b, again, s.full(), sum, s.empty(), s.size(), d.depth);
            }
            """
        let r = try Self.run(try Self.build("bounded", src, threaded: true))
        #expect(r.status == 0, "\(r.output)")
        // read_nb on empty fails, the fifth write_nb fails (depth 4), 30 + 40 + 60 remain.
        #expect(r.stdout == "0 0 10 20 1 0 130 1 0 2\n")
    }

    /// The diamond: P writes each item to `shallow_a` and to `deep_b`; C reads all 100 items of
    /// `deep_b` before any of `shallow_a`, so `shallow_a` needs depth 100. Sum: Σ(i + 2i) = 14850.
    static let diamond = """
        #include <hls_stream.h>
        #include <cstdio>
        static const int N = 100;
        typedef hls::stream<int, ADEPTH> a_t;
        typedef hls::stream<int, 128> b_t;
        void P(a_t& a, b_t& b) { for (int i = 0; i < N; ++i) { a.write(i); b.write(2 * i); } }
        void C(a_t& a, b_t& b, long& sum) {
            int buf[N];
            for (int i = 0; i < N; ++i) buf[i] = b.read();
            for (int i = 0; i < N; ++i) sum += a.read() + buf[i];
        }
        int main() {
            a_t a("shallow_a");
            b_t b("deep_b");
            long sum = 0;
            INTARSIA_DATAFLOW_BEGIN
                INTARSIA_PROCESS(P(a, b));
                INTARSIA_PROCESS(C(a, b, sum));
            INTARSIA_DATAFLOW_END
            std::printf("sum %ld\\n", sum);
            return 0;
        }
        """

    @Test func tooShallowFIFOInADiamondIsReportedAsADeadlock() throws {
        let exe = try Self.build("diamond-1", Self.diamond, threaded: true, defines: ["ADEPTH=1"])
        let start = Date()
        // A long timeout, so that the report must come from the all-blocked test, not the backstop.
        let r = try Self.run(exe, environment: ["INTARSIA_STREAM_TIMEOUT": "60"], timeoutSeconds: 30)
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 3, "\(r.output)")
        #expect(r.stderr.hasPrefix("hls::stream deadlock:"), "\(r.stderr)")
        #expect(r.stderr.contains("deadlock"))
        #expect(r.stderr.contains("process 1 blocked writing to full stream 'shallow_a' (depth 1)"), "\(r.stderr)")
        #expect(r.stderr.contains("process 2 blocked reading from empty stream 'deep_b' (depth 128)"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(seconds < 5, "took \(seconds) s")
    }

    @Test func deepEnoughFIFOInTheDiamondFinishes() throws {
        let r = try Self.run(try Self.build("diamond-100", Self.diamond, threaded: true, defines: ["ADEPTH=100"]))
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout == "sum 14850\n")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func sequentialModeCannotSeeTheShallowFIFO() throws {
        // As in Vitis C simulation, where such a deadlock only shows in RTL co-simulation.
        let r = try Self.run(try Self.build("diamond-seq", Self.diamond, threaded: false, defines: ["ADEPTH=1"]))
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout == "sum 14850\n")
    }

    @Test func producerThatEndsEarlyLeavesItsConsumerReported() throws {
        let src = """
            #include <hls_stream.h>
            void produce(hls::stream<int>& o) { for (int i = 0; i < 3; ++i) o.write(i); }
            void consume(hls::stream<int>& in, int& s) { for (int i = 0; i < 4; ++i) s += in.read(); }
            int main() {
                hls::stream<int> st("short_stream");
                int s = 0;
                INTARSIA_DATAFLOW_BEGIN
                    INTARSIA_PROCESS(produce(st));
                    INTARSIA_PROCESS(consume(st, s));
                INTARSIA_DATAFLOW_END
                return s;
            }
            """
        let r = try Self.run(try Self.build("short", src, threaded: true), environment: ["INTARSIA_STREAM_TIMEOUT": "60"],
                             timeoutSeconds: 30)
        #expect(r.status == 3, "\(r.output)")
        #expect(r.stderr.contains("process 2 blocked reading from empty stream 'short_stream' (depth 2) in consume(st, s)"),
                "\(r.stderr)")
    }

    @Test func timeoutBackstopCatchesAPollingProcess() throws {
        // `poll` spins on read_nb, so it is never blocked; only the timeout can end this.
        let src = """
            #include <hls_stream.h>
            #include <cstdio>
            void poll(hls::stream<int>& never, hls::stream<int>& out) { int v; while (!never.read_nb(v)) {} out.write(v); }
            void wait_for(hls::stream<int>& in) { std::printf("%d\\n", in.read()); }
            int main() {
                hls::stream<int> never("never"), link("link");
                INTARSIA_DATAFLOW_BEGIN
                    INTARSIA_PROCESS(poll(never, link));
                    INTARSIA_PROCESS(wait_for(link));
                INTARSIA_DATAFLOW_END
            }
            """
        let exe = try Self.build("timeout", src, threaded: true)
        let start = Date()
        let r = try Self.run(exe, environment: ["INTARSIA_STREAM_TIMEOUT": "1"], timeoutSeconds: 30)
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 3, "\(r.output)")
        #expect(r.stderr.hasPrefix("hls::stream deadlock: no stream progress for 1 s"), "\(r.stderr)")
        #expect(r.stderr.contains("reading from empty stream 'link'"), "\(r.stderr)")
        #expect(seconds >= 0.9 && seconds < 10, "took \(seconds) s")
    }

    // MARK: - with the ap types, and the synthesizability lint

    static let params = """
        #pragma once
        #include <ap_fixed.h>
        typedef ap_fixed<16, 6> data_t;
        typedef ap_int<8> w_t;
        constexpr int N = 16;
        """

    static let cleanKernel = """
        #include "params.h"
        #include <hls_stream.h>
        // Words in comments do not count: new, delete, throw, try, std::vector, malloc, printf.
        struct config { config() = default; config(const config&) = delete; int renew; };
        static void load(const data_t* in, hls::stream<data_t>& s) {
            for (int i = 0; i < N; ++i) {
        #pragma HLS PIPELINE II=1
                s.write(in[i]);
            }
        }
        static void scale(hls::stream<data_t>& s, hls::stream<data_t>& o, w_t w) {
            data_t buf[N];
            for (int i = 0; i < N; ++i) buf[i] = 0;
            for (int i = 0; i < N; ++i) buf[i] = s.read() * w;
            for (int i = 0; i < N; ++i) o << buf[i];
        }
        static void store(hls::stream<data_t>& o, data_t* out) { for (int i = 0; i < N; ++i) out[i] = o.read(); }
        extern "C" void top(const data_t* in, data_t* out, w_t w) {
        #pragma HLS DATAFLOW
            hls::stream<data_t> s("s"), o("o");
        #pragma HLS STREAM variable=s depth=2
            INTARSIA_DATAFLOW_BEGIN
                INTARSIA_PROCESS(load(in, s));
                INTARSIA_PROCESS(scale(s, o, w));
                INTARSIA_PROCESS(store(o, out));
            INTARSIA_DATAFLOW_END
        }
        """

    /// A project directory laid out as the emitter does: sim/ (copied from templates) and src/.
    static func project(_ name: String, kernels: [String: String]) throws -> URL {
        let dir = try Toolchain.scratch("lint-\(name)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("src"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("sim"), withIntermediateDirectories: true)
        for f in ["hls_stream.h", "lint_poison.h", "lint.sh"] {
            try fm.copyItem(at: sim.appendingPathComponent(f), to: dir.appendingPathComponent("sim/\(f)"))
        }
        try params.write(to: dir.appendingPathComponent("src/params.h"), atomically: true, encoding: .utf8)
        for (file, text) in kernels {
            try text.write(to: dir.appendingPathComponent("src/\(file)"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test(arguments: [false, true])
    func cleanKernelSimulatesWithTheAPTypesInBothModes(threaded: Bool) throws {
        try Self.requireAPTypes()
        let tb = """
            #include "params.h"
            #include <cstdio>
            extern "C" void top(const data_t* in, data_t* out, w_t w);
            int main() {
                data_t in[N], out[N];
                for (int i = 0; i < N; ++i) in[i] = data_t(i) / 4;
                top(in, out, -3);
                int bad = 0;
                for (int i = 0; i < N; ++i) bad += out[i] != data_t(-0.75 * i);
                std::printf("%d passed, %d failed\\n", N - bad, bad);
                return bad != 0;
            }
            """
        let dir = try Self.project("csim-\(threaded)", kernels: ["top.cpp": Self.cleanKernel, "tb.cpp": tb])
        let mode = threaded ? ["-DINTARSIA_THREADED_STREAMS"] : []
        let c = try Toolchain.run("g++", Self.flags + mode + ["-Wno-unused-label", "-Wno-uninitialized", "-Wno-maybe-uninitialized",
                                  "-isystem", Toolchain.apTypes.path, "-Isim", "-Isrc", "src/top.cpp", "src/tb.cpp", "-o", "csim"],
                                  in: dir, timeoutSeconds: 180)
        try #require(c.status == 0, "g++ failed:\n\(c.output)")
        let r = try Toolchain.run(dir.appendingPathComponent("csim").path, [], in: dir, timeoutSeconds: 60)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout == "16 passed, 0 failed\n")
    }

    @Test func cleanKernelPassesTheLint() throws {
        try Self.requireAPTypes()
        let dir = try Self.project("clean", kernels: ["top.cpp": Self.cleanKernel])
        let r = try Toolchain.run("sh", ["sim/lint.sh", Toolchain.apTypes.path, "src/top.cpp"], in: dir, timeoutSeconds: 180)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout.contains("lint: 1 file(s) clean"), "\(r.output)")
    }

    struct BadKernel: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var finding: String  // what the lint must say
        var testDescription: String { name }
    }

    @Test(arguments: [
        BadKernel(name: "malloc", body: "data_t* b = (data_t*)malloc(n * sizeof(data_t)); out[0] = b[0] + in[0];",
                  finding: "poisoned \"malloc\""),
        BadKernel(name: "printf", body: "printf(\"%d\\n\", n); out[0] = in[0];", finding: "poisoned \"printf\""),
        BadKernel(name: "cout", body: "std::cout << n; out[0] = in[0];", finding: "poisoned \"cout\""),
        BadKernel(name: "vla", body: "data_t b[n]; b[0] = in[0]; out[0] = b[0];", finding: "variable length array"),
        BadKernel(name: "new", body: "data_t* b = new data_t[n]; out[0] = b[0] + in[0];",
                  finding: "src/bad_new.cpp:3: dynamic allocation (new)"),
        BadKernel(name: "throw", body: "if (n < 0) { throw 1; } out[0] = in[0];", finding: "src/bad_throw.cpp:3: exceptions (throw)"),
        BadKernel(name: "vector", body: "std::vector<int> v(n); out[0] = in[0] + v[0];",
                  finding: "src/bad_vector.cpp:3: std::vector (dynamic container)"),
    ])
    func lintRejects(_ bad: BadKernel) throws {
        try Self.requireAPTypes()
        let file = "bad_\(bad.name).cpp"
        let text = "#include \"params.h\"\nvoid top(const data_t* in, data_t* out, int n) {\n    \(bad.body)\n}\n"
        let dir = try Self.project(bad.name, kernels: [file: text, "top.cpp": Self.cleanKernel])
        let r = try Toolchain.run("sh", ["sim/lint.sh", Toolchain.apTypes.path, "src/top.cpp", "src/\(file)"], in: dir,
                                  timeoutSeconds: 180)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains(bad.finding), "\(r.output)")
        #expect(!r.output.contains("src/top.cpp:"), "the clean kernel was blamed:\n\(r.output)")
        #expect(!r.output.contains("clean"))
    }
}
