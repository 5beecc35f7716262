import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaHLSSim

/// The constructs of the streaming task bodies (templates/hls/stream_modules.h) on hand-written
/// networks, timed by hand below: a stream access under a condition on the loop's index (a
/// pooling window's last element), a read in a declaration outside a pipelined loop (an outer
/// product's `const xv = in.read()`), and a call with a loop nested inside a write.
@Suite struct StreamingBodyTests {
    static func network(producer: String, consumer: String, depth: Int) -> String {
        """
        #include "top.h"
        static void produce(hls::stream<act_t>& out) {
        \(producer)
        }
        static void consume(hls::stream<act_t>& in) {
        \(consumer)
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

    static func simulate(_ top: String) throws -> SimulationResult {
        try HLSSimulator.simulate(project: try NetworkSimulationTests.project(top), timing: NetworkSimulationTests.u280)
    }

    /// The producer's pipelined loop of 8 (II 1, one-cycle body) writes only on odd i: at issue
    /// 1, 3, 5, 7 (its end 8). The consumer reads 4 at II 1: r_k ≥ w_k + 1 gives 2, 4, 6, 8
    /// (stalls empty 2 before r_0 at its first issue 0, then 1 before each of the three others:
    /// 5), ending at 9. Counting the write on every iteration would put 8 elements in the FIFO.
    @Test func writeUnderAnIndexConditionCountsOnlyItsIterations() throws {
        let producer = """
            for (int i = 0; i < 8; ++i) {
        #pragma HLS PIPELINE II=1
                const int odd = i % 2;
                if (odd == 1) out.write(i);
            }
        """
        let consumer = """
            for (int i = 0; i < 4; ++i) {
        #pragma HLS PIPELINE II=1
                const act_t v = in.read();
            }
        """
        let r = try Self.simulate(Self.network(producer: producer, consumer: consumer, depth: 2))
        #expect(r.deadlock.isEmpty)
        #expect(r.latencyCycles == 9)
        #expect(r.fifos == [FIFOStats(name: "link", depth: 2, widthBits: 16, elements: 4, fullStallCycles: 0, emptyStallCycles: 5)])
        #expect(r.processes.map(\.endCycle) == [8, 9])
    }

    /// The consumer reads one element per outer iteration in a declaration (a one-cycle step),
    /// then runs a pipelined loop of 5 with no access (5 cycles). Writes w_k = k for k < 2; the
    /// reads: r_0 = w_0 + 1 = 1 (1 empty), t = 2 + 5 = 7; r_1 = 7, t = 13; r_2 = 13, t = 19;
    /// r_3 = 19, t = 25. With depth 2, w_2 = r_0 + 1 = 2 (on time) and w_3 = r_1 + 1 = 8 (5 full
    /// stalls), the producer ending at 9. Dropping the read would leave the producer full forever.
    @Test func readInADeclarationIsAStep() throws {
        let producer = """
            for (int i = 0; i < 4; ++i) {
        #pragma HLS PIPELINE II=1
                out.write(i);
            }
        """
        let consumer = """
            for (int i = 0; i < 4; ++i) {
                const act_t v = in.read();
                for (int j = 0; j < 5; ++j) {
        #pragma HLS PIPELINE II=1
                    const int z = j;
                }
            }
        """
        let r = try Self.simulate(Self.network(producer: producer, consumer: consumer, depth: 2))
        #expect(r.deadlock.isEmpty)
        #expect(r.latencyCycles == 25)
        #expect(r.fifos == [FIFOStats(name: "link", depth: 2, widthBits: 16, elements: 4, fullStallCycles: 5, emptyStallCycles: 1)])
        #expect(r.processes.map(\.endCycle) == [9, 25])
    }

    /// `in.write(sum3())` in a loop of 2 without a pragma (so iterations one after another):
    /// sum3's pipelined loop of 3 (one-cycle body, 3 cycles) runs before each write (one cycle),
    /// so the producer writes at 3 and 7 and ends at 8; the consumer (II 1) reads at 4 and 8 and
    /// ends at 9. Taking the loop for a leaf would skip sum3's loop (the writes at 0 and 1).
    @Test func callNestedInAWriteRunsBeforeIt() throws {
        let helper = """
        static int sum3() {
            int s = 0;
            for (int t = 0; t < 3; ++t) {
        #pragma HLS PIPELINE II=1
                s += t;
            }
            return s;
        }

        """
        let producer = """
            for (int i = 0; i < 2; ++i) out.write(sum3());
        """
        let consumer = """
            for (int i = 0; i < 2; ++i) {
        #pragma HLS PIPELINE II=1
                const act_t v = in.read();
            }
        """
        let top = Self.network(producer: producer, consumer: consumer, depth: 2)
            .replacingOccurrences(of: "#include \"top.h\"\n", with: "#include \"top.h\"\n" + helper)
        let r = try Self.simulate(top)
        #expect(r.deadlock.isEmpty)
        #expect(r.processes.map(\.endCycle) == [8, 9])
        #expect(r.latencyCycles == 9)
    }

    /// A stream access under a condition that neither constants nor the index decide (data) is
    /// refused with its place, not timed as if it always or never happened.
    @Test func dataDependentStreamAccessIsRefused() throws {
        let producer = """
            for (int i = 0; i < 4; ++i) {
        #pragma HLS PIPELINE II=1
                out.write(i);
            }
        """
        let consumer = """
            for (int i = 0; i < 4; ++i) {
        #pragma HLS PIPELINE II=1
                const act_t v = in.read();
                if (v > 0) in.write(v);
            }
        """
        #expect(throws: SimulationError.self) { try Self.simulate(Self.network(producer: producer, consumer: consumer, depth: 2)) }
        do { _ = try Self.simulate(Self.network(producer: producer, consumer: consumer, depth: 2)) } catch {
            #expect("\(error)".contains("top.cpp:"), "\(error)")
            #expect("\(error)".contains("condition"), "\(error)")
        }
    }
}
