import Foundation
import Testing

/// The modules narrow an accumulator by an explicit round-half-up shift and saturation; for
/// fixed-point formats that must equal the ap_fixed<W, I, AP_RND, AP_SAT> cast a hand-written
/// kernel would use. Checked over a dense set of accumulator values with the real ap headers.
struct APFixedCastTests {
    @Test func narrowingEqualsTheAPRndAPSatCast() throws {
        try CSimTests.requireAPTypes()
        let dir = try Toolchain.scratch("cast")
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = """
        #include <cstdio>
        #include "modules.h"
        template <int W, int F, int ACC_W, int ACC_F> long check() {
            typedef ap_fixed<W, W - F, AP_RND, AP_SAT> out_t;
            typedef ap_fixed<ACC_W, ACC_W - ACC_F> acc_fixed;
            long bad = 0;
            const long long lim = 1LL << (ACC_W - 1);
            for (long long i = 0; i < 200000; ++i) {
                // Every value near zero and around the rounding and saturation points, then a spread.
                long long r = i < 100000 ? i - 50000 : ((i * 2654435761LL) % lim) * (i % 2 ? 1 : -1);
                acc_fixed a = intarsia::from_raw<acc_fixed>(r);
                out_t cast = a;
                out_t mine = intarsia::narrow<out_t, ACC_W>(ap_int<ACC_W>(r), ACC_F - F);
                if (intarsia::raw(cast) != intarsia::raw(mine)) ++bad;
            }
            return bad;
        }
        int main() {
            long bad = check<16, 8, 40, 16>() + check<8, 4, 24, 8>() + check<12, 6, 30, 9>() + check<16, 10, 44, 20>();
            std::printf("%ld mismatches\\n", bad);
            return bad != 0;
        }
        """
        try program.write(to: dir.appendingPathComponent("cast.cpp"), atomically: true, encoding: .utf8)
        let flags = ["-std=c++17", "-O2", "-isystem", Toolchain.apTypes.path, "-I", Toolchain.hlsTemplates.path, "-I", Toolchain.hlsTemplates.appendingPathComponent("sim").path,
                     "-Wno-uninitialized", "-Wno-maybe-uninitialized", "-o", dir.appendingPathComponent("cast").path, dir.appendingPathComponent("cast.cpp").path]
        let build = try Toolchain.run("g++", flags)
        try #require(build.status == 0, "\(build.output)")
        let r = try Toolchain.run(dir.appendingPathComponent("cast").path, [])
        #expect(r.status == 0 && r.stdout == "0 mismatches\n", "\(r.output)")
    }
}
