import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaHLSSim

/// The simulator on small hand-written projects whose timing is worked out by hand below.
@Suite struct NetworkSimulationTests {
    /// Writes a project with the given top.cpp and an act_t of `bits` bits.
    static func project(_ top: String, bits: Int = 16) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hlssim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
        try "#pragma once\ntypedef ap_int<\(bits)> act_t;\n".write(toFile: dir + "/src/params.h", atomically: true, encoding: .utf8)
        try "#pragma once\n".write(toFile: dir + "/src/modules.h", atomically: true, encoding: .utf8)
        try "#pragma once\n".write(toFile: dir + "/src/intarsia_math.h", atomically: true, encoding: .utf8)
        try top.write(toFile: dir + "/src/top.cpp", atomically: true, encoding: .utf8)
        return dir
    }

    static let u280 = SimTiming(platform: PlatformCatalog.u280, wordBits: 512)

    /// A producer writing 8 elements at II=1 into a FIFO a consumer reads at II=3.
    static func producerConsumer(depth: Int) -> String {
        """
        #include "top.h"
        static void produce(hls::stream<act_t>& out) {
        produce_loop:
            for (int i = 0; i < 8; ++i) {
        #pragma HLS PIPELINE II=1
                out.write(i);
            }
        }
        static void consume(hls::stream<act_t>& in) {
            for (int i = 0; i < 8; ++i) {
        #pragma HLS PIPELINE II=3
                const act_t v = in.read();  // a comment
            }
        }
        extern "C" void intarsia_top(act_t* dst) {
        #pragma HLS INTERFACE m_axi port=dst offset=slave bundle=gmem0 depth=8
        #pragma HLS DATAFLOW
            hls::stream<act_t, \(depth)> link("link");
        #pragma HLS STREAM variable=link depth=\(depth)
            INTARSIA_PROCESS(produce(link));
            INTARSIA_PROCESS(consume(link));
        }
        """
    }

    /// Depth 2, one-cycle pipelines (no arithmetic in either body). Reads r_k: r_0 = w_0 + 1 = 1,
    /// then every 3 cycles, r_k = 1 + 3k, so the consumer ends at r_7 + 1 = 23. Writes w_k:
    /// w_0 = 0, w_1 = 1, w_2 = max(2, r_0 + 1) = 2, then w_k = r_(k-2) + 1 = 3k - 4 (w_3 = 5 ...
    /// w_7 = 17): the producer stands 2 cycles full before each of w_3..w_7, 10 in all, and the
    /// consumer 1 cycle empty before r_0.
    @Test func shallowFIFOStallsTheFastProducer() throws {
        let r = try HLSSimulator.simulate(project: try Self.project(Self.producerConsumer(depth: 2)), timing: Self.u280)
        #expect(r.deadlock.isEmpty)
        #expect(r.latencyCycles == 23)
        #expect(r.fifos == [FIFOStats(name: "link", depth: 2, widthBits: 16, elements: 8, fullStallCycles: 10, emptyStallCycles: 1)])
        #expect(r.processes.map(\.endCycle) == [18, 23])
    }

    /// Depth 8 holds every element: the producer runs free (w_k = k, ends at 8); the consumer's
    /// reads are unchanged, so the latency stays 23 and no cycle is spent full.
    @Test func deepFIFOLetsTheProducerFinishEarly() throws {
        let r = try HLSSimulator.simulate(project: try Self.project(Self.producerConsumer(depth: 8)), timing: Self.u280)
        #expect(r.latencyCycles == 23)
        #expect(r.fifos.first?.fullStallCycles == 0)
        #expect(r.processes.map(\.endCycle) == [8, 23])
    }

    /// 1024-bit elements read from an m_axi port: 128 bytes per iteration against the U280
    /// port's 64 bytes per cycle (word_bits 512, less than the 32 HBM2 channels x 460/32 GB/s /
    /// 300 MHz = 1,533 bytes per cycle), so II 2; with the 64-cycle burst latency (PlatformCatalog
    /// U280) the loop of 10 takes 64 + 9 x 2 + 1 = 83 cycles.
    @Test func offChipPortBoundsTheInterval() throws {
        let top = """
        static void sum(const act_t* src) {
            for (int i = 0; i < 10; ++i) {
        #pragma HLS PIPELINE II=1
                const act_t v = src[i];
            }
        }
        extern "C" void intarsia_top(const act_t* src) {
        #pragma HLS INTERFACE m_axi port=src offset=slave bundle=gmem0 depth=10
            sum(src);
        }
        """
        let r = try HLSSimulator.simulate(project: try Self.project(top, bits: 1024), timing: Self.u280)
        #expect(r.latencyCycles == 83)
    }

    /// A sequential program: two instructions of a record table, each a loop whose trip count is
    /// the instruction's field; a 5-trip loop without a pragma runs one iteration after another
    /// (under Vitis' automatic pipelining threshold of 64), a 100-trip one is pipelined at II 1.
    /// Cycles: 5 x 1 = 5 for `small`, 99 + 1 = 100 for `large`.
    @Test func programInstructionsAreTimedPerTask() throws {
        let top = """
        struct instr_t {
            int op, n;
        };
        static const int PROGRAM_LENGTH = 2;
        static const instr_t PROGRAM[PROGRAM_LENGTH] = {
            {0, 5},  // small
            {0, 100},  // large
        };
        static void unit(const instr_t& ins, act_t* mem) {
            switch (ins.op) {
            case 0: copy(mem, ins.n); break;
            default: break;
            }
        }
        static void copy(act_t* mem, int n) {
            for (int i = 0; i < n; ++i) mem[i] = mem[i + n];
        }
        extern "C" void intarsia_top(act_t* mem) {
        #pragma HLS INTERFACE s_axilite port=return
            static act_t scratch[16];
        program:
            for (int p = 0; p < PROGRAM_LENGTH; ++p) {
                const instr_t& ins = PROGRAM[p];
                unit(ins, scratch);
            }
        }
        """
        let r = try HLSSimulator.simulate(project: try Self.project(top), timing: Self.u280)
        #expect(r.tasks.map(\.name) == ["small", "large"])
        #expect(r.tasks.map(\.busyCycles) == [5, 100])
        #expect(r.latencyCycles == 105)
    }

    @Test func missingAndMalformedFilesAreNamed() throws {
        let dir = try Self.project(Self.producerConsumer(depth: 2))
        try FileManager.default.removeItem(atPath: dir + "/src/params.h")
        #expect(throws: SimulationError.self) { try HLSSimulator.simulate(project: dir, timing: Self.u280) }
        do { _ = try HLSSimulator.simulate(project: dir, timing: Self.u280) } catch {
            #expect("\(error)".hasPrefix("\(dir)/src/params.h: no such file"))
        }
        let bad = try Self.project("extern \"C\" void intarsia_top(act_t* dst) {\n#pragma HLS INTERFACE m_axi port=dst\n    for (int i = 0; i < ; ++i) {}\n}\n")
        do { _ = try HLSSimulator.simulate(project: bad, timing: Self.u280); Issue.record("accepted a malformed loop") } catch {
            #expect("\(error)".hasPrefix("\(bad)/src/top.cpp:3: "), "\(error)")
        }
    }
}

extension NetworkSimulationTests {
    /// Code under `#ifndef __SYNTHESIS__` is C simulation's only: the synthesis branch is timed
    /// (a 10-trip loop at one cycle an iteration, under the automatic-pipelining threshold: 10).
    @Test func synthesisBranchOfConditionalCodeIsTimed() throws {
        let top = """
        #ifndef __SYNTHESIS__
        static void work(act_t* m) { for (int i = 0; i < 1000; ++i) m[i] = m[i]; }
        #else
        static void work(act_t* m) { for (int i = 0; i < 10; ++i) m[i] = m[i]; }
        #endif
        extern "C" void intarsia_top(act_t* dst) {
        #pragma HLS INTERFACE s_axilite port=return
            static act_t buf[1000];
            work(buf);
        }
        """
        let r = try HLSSimulator.simulate(project: try Self.project(top), timing: Self.u280)
        #expect(r.latencyCycles == 10)
    }
}
