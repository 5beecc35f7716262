import Foundation
import IntarsiaCore
import Testing
@testable import IntarsiaRows

/// `Figures.significant` as it was written before the CSV writer wrote bytes (through `String`):
/// the oracle the byte writer must equal on every value.
func significantThroughStrings(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite, x != 0 else { return x == 0 ? "0" : String(x) }
    let exponent = Int((log10(abs(x))).rounded(.down))
    let scale = pow(10, Double(digits - 1 - exponent))
    let r = (x * scale).rounded() / scale
    if r == r.rounded() && abs(r) < 1e15 { return String(Int64(r)) }
    return String(r)
}

func numberThroughStrings(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    return significantThroughStrings(x, 6)
}

func bytes(_ write: (inout [UInt8]) -> Void) -> String { Figures.text(write) }

@Suite struct FieldBytesTests {
    /// Values where a formatter goes wrong: signs, zeros, the ends of the double range, whole
    /// numbers at 2^53 and 10^15, the 10^-4 edge of positional notation, and halves that round.
    static let edges: [Double] = {
        var xs: [Double] = [0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                            .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 0.5, 2.5, 0.1, 1.0 / 3,
                            2.0 / 3, 0x1p53, 0x1p53 + 2, 0x1p63, 1e15, 1e15 - 0.5, 999_999.5, 9_999_995, 0.0001, 0.000099999,
                            0.00009999995, 0.000123456, 1e-5, 1.5e-5, 1e22, 1e23, 123_456_789, 4.35, 0.045, 1.0005, 99.995]
        for e in -30...30 {
            let p = pow(10.0, Double(e))
            xs += [p, p.nextUp, p.nextDown, -p, 5 * p, 9.99999 * p, 9.999995 * p, 1.234565 * p]
        }
        return xs
    }()

    @Test func significantEqualsTheStringFormatterOnEdgeCases() {
        for x in Self.edges {
            for digits in 1...8 {
                #expect(Figures.significant(x, digits) == significantThroughStrings(x, digits), "x = \(x), digits = \(digits)")
            }
            #expect(Figures.number(x) == numberThroughStrings(x), "x = \(x)")
        }
    }

    @Test func significantEqualsTheStringFormatterOnRandomDoubles() {
        var rng = SplitMix64(seed: 17)
        var mismatches: [String] = []
        for n in 0..<200_000 {
            // Half uniform over every bit pattern (all magnitudes, subnormals, NaNs), half over
            // the magnitudes result files hold (10^-8 to 10^16).
            let x = n % 2 == 0 ? Double(bitPattern: rng.next())
                : Double(rng.next() % 2 == 0 ? 1 : -1) * pow(10, Double(rng.next() % 24_000) / 1000 - 8)
            let digits = 1 + Int(rng.next() % 8)
            if Figures.significant(x, digits) != significantThroughStrings(x, digits) || Figures.number(x) != numberThroughStrings(x) {
                mismatches.append("\(x) to \(digits)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func positionalTextIsSwiftsShortestRoundTripText() {
        // Worked by hand: 2/3 to 4 digits is 0.6667; 1234.5678 to 6 is 1234.57; 1.5e-5 is below
        // 10^-4, where Swift writes an exponent; -0.000123456 to 2 digits is -0.00012; 12.5 stays.
        #expect(Figures.significant(2.0 / 3, 4) == "0.6667")
        #expect(Figures.significant(1234.5678, 6) == "1234.57")
        #expect(Figures.significant(1.5e-5, 2) == "1.5e-05")
        #expect(Figures.significant(-0.000123456, 2) == "-0.00012")
        #expect(Figures.significant(12.5, 6) == "12.5")
        #expect(Figures.significant(123_456_789, 3) == "123000000")
        // And each non-whole text reads back as the rounded double, as Swift writes it.
        for x in Self.edges where x.isFinite && x != 0 {
            let text = Figures.significant(x, 6)
            if let r = Double(text), r != r.rounded() { #expect(text == String(describing: r), "x = \(x)") }
        }
    }

    @Test func integersAsStringWritesThem() {
        for v: Int64 in [0, 7, -7, 10, -10, 99, 100, 1_000_000, Int64.max, Int64.min, Int64.max - 1, Int64(Int32.min)] {
            #expect(bytes { FieldBytes.appendInt(v, to: &$0) } == String(v))
        }
        var rng = SplitMix64(seed: 3)
        for _ in 0..<10_000 {
            let v = Int64(bitPattern: rng.next()) >> (rng.next() % 64)
            #expect(bytes { FieldBytes.appendInt(v, to: &$0) } == String(v))
        }
    }

    @Test func aByteLineEqualsTheStringLine() {
        let runs = [Run(name: "a,b", ms: 1234.5, ok: true), Run(name: "say \"hi\"\r\nthere", ms: 0.012345, ok: false),
                    Run(name: "", ms: .nan, ok: true), Run(name: "é,ü", ms: -1e300, ok: false)]
        for r in runs {
            var out: [UInt8] = Array("prefix,".utf8)
            runColumns.appendCSVLine(r, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "prefix," + runColumns.csvLine(r))
        }
        // Hand-written: the comma-holding name is quoted, its quote doubled.
        var out: [UInt8] = []
        runColumns.appendCSVLine(Run(name: "x \"y\", z", ms: 2, ok: true), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"x \"\"y\"\", z\",2,true\n")
    }

    @Test func plainColumnsAreWrittenUnscannedAndTheOthersQuoted() {
        // Hand-written lines: the plain numeric columns read the same; the text column, not
        // plain, is still quoted when it holds a comma.
        let cols = Columns<Run>([
            Column("name", "", value: { $0.name }),
            Column("ms", "", plain: true) { r, out in FieldBytes.appendSignificant(r.ms, 3, to: &out) },
            Column("ok", "", plain: true) { r, out in FieldBytes.appendFlag(r.ok, to: &out) },
        ])
        var out: [UInt8] = []
        cols.appendCSVLine(Run(name: "a,b", ms: 0.012345, ok: false), to: &out)
        cols.appendCSVLine(Run(name: "c", ms: 1234.5, ok: true), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"a,b\",0.0123,false\nc,1230,true\n")
        #expect(cols.list.map(\.plain) == [false, true, true])
    }

    @Test func digitPairsHoldEveryTwoDigitNumberInOrder() {
        // The table the integer writer reads two digits at a time from: "00" ... "99".
        let pairs = Array(UnsafeBufferPointer(start: FieldBytes.digitPairs.utf8Start, count: FieldBytes.digitPairs.utf8CodeUnitCount))
        #expect(pairs.count == 200)
        for n in 0..<100 { #expect(String(decoding: pairs[2 * n..<2 * n + 2], as: UTF8.self) == (n < 10 ? "0\(n)" : "\(n)")) }
        // Every digit count from 1 to 20 (10^k - 1, 10^k and 10^k + 1) against Swift's own text.
        var p: UInt64 = 1
        for _ in 0..<19 {
            for v in [p - 1, p, p + 1, 10 * p - 1] { #expect(bytes { FieldBytes.appendDigits(v, to: &$0) } == String(v)) }
            p *= 10
        }
        #expect(bytes { FieldBytes.appendDigits(UInt64.max, to: &$0) } == String(UInt64.max))
    }
}

@Suite struct ByteSinkTests {
    /// A sink that starts at its smallest capacity (64 bytes) and grows many times holds the text
    /// the string formatters give for the same fields, quoting included.
    @Test func aSinkHoldsTheStringFormattersTextThroughEveryGrowth() {
        var rng = SplitMix64(seed: 5)
        let texts = ["plain", "a,b", "say \"hi\"", "line\nbreak", "", "µs ±", "cr\r"]
        let draws = (0..<5_000).map { _ in (Double(bitPattern: rng.next()), Int(truncatingIfNeeded: rng.next())) }
        let got = ByteSink.collect(capacity: 1) { sink in
            for (n, (x, i)) in draws.enumerated() {
                FieldBytes.appendSignificant(x, 1 + n % 8, to: &sink)
                FieldBytes.appendInt(i, to: &sink)
                let start = sink.count
                FieldBytes.appendText(texts[n % texts.count], to: &sink)
                CSV.quoteInPlace(&sink, from: start)
                FieldBytes.appendFlag(n % 3 == 0, to: &sink)
            }
        }
        var oracle = ""
        for (n, (x, i)) in draws.enumerated() {
            oracle += significantThroughStrings(x, 1 + n % 8) + String(i) + CSV.field(texts[n % texts.count]) + (n % 3 == 0 ? "true" : "false")
        }
        #expect(String(decoding: got, as: UTF8.self) == oracle)
        #expect(got.count > 64 * 1024)
    }
}
