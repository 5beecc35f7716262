/// The reference's operators with loops: the MAC operators (exact sums, then `narrow`),
/// pooling, up-sampling and the row-wise special functions.
extension Reference {
    /// A MAC output: the exact sum shifted by the step's requantisation (round half up), then
    /// saturated into the activation format.
    static func narrow(_ acc: Int64, _ s: HLSProgram.Step) -> Int64 {
        FixedPointMath.saturate(FixedPointMath.roundShift(acc, s.requantizeShift), bits: s.activationFormat.bits)
    }

    /// A convolution's loop bounds (input NCHW, kernel R×S).
    struct ConvShape {
        var batch, channels, height, width, filters, kernelH, kernelW, stride, padding: Int
        var groups = 1
    }

    /// Per head h: C[i][h·n/heads + j] = Σ_t A[i][h·k + t] · B_h[t][j] (see `HLSProgram.Kind.gemm`).
    static func gemm(_ s: HLSProgram.Step, a: [Int64], b: [Int64], m: Int, k: Int, n: Int, heads: Int, transposeB: Bool) -> [Int64] {
        let nh = n / heads
        var c = [Int64](repeating: 0, count: m * n)
        for h in 0..<heads {
            for i in 0..<m {
                let aRow = i * heads * k + h * k
                for j in 0..<nh {
                    var acc: Int64 = 0
                    for t in 0..<k {
                        let bv = transposeB ? b[j * heads * k + h * k + t] : b[t * n + h * nh + j]
                        acc += a[aRow + t] * bv
                    }
                    c[i * n + h * nh + j] = narrow(acc, s)
                }
            }
        }
        return c
    }

    /// NCHW input, weights [K][C/G][R][S], zero padding; filter f reduces over the C/G channels
    /// of its group f / (K/G).
    static func conv2d(_ s: HLSProgram.Step, _ x: [Int64], _ w: [Int64], _ g: ConvShape) -> [Int64] {
        let (ch, hh, ww, kf, r, q, st, pad) = (g.channels, g.height, g.width, g.filters, g.kernelH, g.kernelW, g.stride, g.padding)
        let oh = (hh + 2 * pad - r) / st + 1, ow = (ww + 2 * pad - q) / st + 1
        let cg = ch / g.groups, kg = kf / g.groups
        var o = [Int64](repeating: 0, count: g.batch * kf * oh * ow)
        for b in 0..<g.batch {
            for f in 0..<kf {
                for y in 0..<oh {
                    for xx in 0..<ow {
                        var acc: Int64 = 0
                        for c in 0..<cg {
                            let ci = f / kg * cg + c
                            for dy in 0..<r {
                                let iy = y * st - pad + dy
                                if iy < 0 || iy >= hh { continue }
                                for dx in 0..<q {
                                    let ix = xx * st - pad + dx
                                    if ix < 0 || ix >= ww { continue }
                                    acc += x[((b * ch + ci) * hh + iy) * ww + ix] * w[((f * cg + c) * r + dy) * q + dx]
                                }
                            }
                        }
                        o[((b * kf + f) * oh + y) * ow + xx] = narrow(acc, s)
                    }
                }
            }
        }
        return o
    }

    /// Scatter of every input pixel through weights [C][K/G][R][S]; output (H−1)·stride − 2·pad
    /// + R; input channel c scatters into the K/G filters of its group c / (C/G).
    static func transposedConv2d(_ s: HLSProgram.Step, _ x: [Int64], _ w: [Int64], _ g: ConvShape) -> [Int64] {
        let (ch, hh, ww, kf, r, q, st, pad) = (g.channels, g.height, g.width, g.filters, g.kernelH, g.kernelW, g.stride, g.padding)
        let cg = ch / g.groups, kg = kf / g.groups
        let oh = (hh - 1) * st - 2 * pad + r, ow = (ww - 1) * st - 2 * pad + q
        var acc = [Int64](repeating: 0, count: g.batch * kf * oh * ow)
        for b in 0..<g.batch {
            for c in 0..<ch {
                for iy in 0..<hh {
                    for ix in 0..<ww {
                        let v = x[((b * ch + c) * hh + iy) * ww + ix]
                        for fl in 0..<kg {
                            let f = c / cg * kg + fl
                            for dy in 0..<r {
                                let y = iy * st - pad + dy
                                if y < 0 || y >= oh { continue }
                                for dx in 0..<q {
                                    let xx = ix * st - pad + dx
                                    if xx < 0 || xx >= ow { continue }
                                    acc[((b * kf + f) * oh + y) * ow + xx] += v * w[((c * kg + fl) * r + dy) * q + dx]
                                }
                            }
                        }
                    }
                }
            }
        }
        return acc.map { narrow($0, s) }
    }

    /// Max pooling over `window × window`, stride `window`.
    static func maxPool(_ x: [Int64], channels ch: Int, height hh: Int, width ww: Int, window win: Int) -> [Int64] {
        let oh = hh / win, ow = ww / win
        var o = [Int64](repeating: 0, count: ch * oh * ow)
        for c in 0..<ch {
            for y in 0..<oh {
                for xx in 0..<ow {
                    var best = Int64.min
                    for dy in 0..<win {
                        for dx in 0..<win { best = max(best, x[(c * hh + y * win + dy) * ww + xx * win + dx]) }
                    }
                    o[(c * oh + y) * ow + xx] = best
                }
            }
        }
        return o
    }

    /// Average pooling over `window × window`, stride `window`: the raw sum of each window
    /// divided by window², rounded half up (what `intarsia::avg_pool` computes; the mean of
    /// values of one format is in range, so nothing saturates).
    static func avgPool(_ x: [Int64], channels ch: Int, height hh: Int, width ww: Int, window win: Int) -> [Int64] {
        let oh = hh / win, ow = ww / win, area = Int64(win * win)
        var o = [Int64](repeating: 0, count: ch * oh * ow)
        for c in 0..<ch {
            for y in 0..<oh {
                for xx in 0..<ow {
                    var sum: Int64 = 0
                    for dy in 0..<win {
                        for dx in 0..<win { sum += x[(c * hh + y * win + dy) * ww + xx * win + dx] }
                    }
                    o[(c * oh + y) * ow + xx] = FixedPointMath.roundDiv(sum, area)
                }
            }
        }
        return o
    }

    /// Nearest-neighbour up-sampling by `factor` in both directions.
    static func upsample(_ x: [Int64], channels ch: Int, height hh: Int, width ww: Int, factor f: Int) -> [Int64] {
        let oh = hh * f, ow = ww * f
        var o = [Int64](repeating: 0, count: ch * oh * ow)
        for c in 0..<ch {
            for y in 0..<oh {
                for xx in 0..<ow { o[(c * oh + y) * ow + xx] = x[(c * hh + y / f) * ww + xx / f] }
            }
        }
        return o
    }

    /// A row-wise function (softmax, layer normalisation) over each of `rows` rows of `cols`.
    static func byRow(_ x: [Int64], rows: Int, cols: Int, _ f: ([Int64]) -> [Int64]) -> [Int64] {
        var o: [Int64] = []
        o.reserveCapacity(rows * cols)
        for r in 0..<rows { o += f(Array(x[(r * cols)..<((r + 1) * cols)])) }
        return o
    }
}
