/// Where each published design's knobs were read: per design (by `PublishedDesign.name`), per
/// knob that the design sets (its template, its lanes, every knob away from `DesignPoint`'s
/// default, and a hand-written schedule), the InTAR source file and lines (github.com/ZeyuGuo/InTAR,
/// under `benchmark/`) with what they show. `PublishedDesignSourceTests` fails when a design sets
/// a knob with no entry here. Where the first model's reading and the HLS disagree the entry says
/// so (the figure stays as it was validated; docs/VALIDATION.md lists these).
extension PublishedDesign {
    static let mlpDataflow = "benchmark/mlp/spatial/mlp-spatial-kernel.cpp"
    static let mlpSequential = "benchmark/mlp/sequential/mlp-sequential-kernel.cpp"
    static let mlpInTAR = "benchmark/mlp/mlp-intrra-kernel.cpp"
    static let gatingDataflow = "benchmark/gating-net/spatial/gating-net-spatial-kernel.cpp"
    static let gatingSequential = "benchmark/gating-net/sequential/gating-net-sequential-kernel.cpp"
    static let attentionDataflow = "benchmark/self-attn/spatial/self-attn-spatial-kernel.cpp"
    static let attentionSequential = "benchmark/self-attn/sequential/self-attn-sequential-kernel.cpp"
    static let attentionInTAR = "benchmark/self-attn/self-attn-intrra-kernel.cpp"
    static let cnnDataflow = "benchmark/cnn-4L/spatial/cnn-4L-spatial-kernel.cpp"
    static let cnnSequential = "benchmark/cnn-4L/sequential/cnn-4L-sequential-kernel.cpp"
    static let cnnInTAR = "benchmark/cnn-4L/cnn-4L-intrra-kernel.cpp"
    static let vaeDataflow = "benchmark/vae/spatial/vae-spatial-kernel.cpp"
    static let vaeSequential = "benchmark/vae/sequential/vae-sequential-kernel.cpp"
    static let vaeInTAR = "benchmark/vae/vae-intrra-kernel.cpp"

    static let gatingDataflowSources: [String: String] = [
        "template": "\(gatingDataflow):143-199, 237-240, 308-337: projection, down_projection and silu tasks joined by tapa streams",
        "lanes": "\(gatingDataflow):21, 185-194: VEC_LEN 32 MACs unrolled per projection unit; up, gate and down units (96)",
        "allocation": "\(gatingDataflow):21, 191-193: every unit has the same VEC_LEN 32 lanes",
        "weight_load": "\(gatingDataflow):170-183: a weight column is read whole (up_readin_col) before its rows are computed",
        "flatten_loops": "\(gatingDataflow):185-188: the k loop is pipelined inside the row loop (a drain per row)",
        "matvec": "\(gatingDataflow):185-196: each output is a dot product over the cached input row",
    ]

    static let gatingSequentialSources: [String: String] = [
        "template": "\(gatingSequential):56-63: one top function runs every layer",
        "lanes": "\(gatingSequential):12, 126-133: VEC_LEN 32 MACs for up and 32 for gate per cycle; the baseline's DSPs were matched to the dataflow build's 96 lanes",
        "scratchpad_kib": "\(gatingSequential):146-158: the combined column is written off chip, no scratchpad",
        "weight_load": "\(gatingSequential):95-118: weight words requested and received one by one in unpipelined loops",
        "flatten_loops": "\(gatingSequential):123-127: the k loop is pipelined inside the row loop (a drain per row)",
        "word_bits": "\(gatingSequential):12, 19: vec_t is 32 int16 (512 bits); the first model's 256 is kept as validated (see docs/VALIDATION.md)",
        "spill": "\(gatingSequential):146-158, 207: intermediates written to `combined` and read back",
    ]

    static let knobSources: [String: [String: String]] = [
        "MLP, dataflow": [
            "template": "\(mlpDataflow):106-222, 232-240: layer units and ReLUs joined by tapa streams",
            "lanes": "\(mlpDataflow):155-158, 196-199: 16 int16 MACs unrolled per layer unit, one unit per layer (48)",
            "allocation": "\(mlpDataflow):155-158, 196-199: every layer unit has the same 16 lanes",
            "word_bits": "\(mlpDataflow):18: int16_v16 ports, 256 bits",
            "matvec": "\(mlpDataflow):121-143, 177-188: the whole input vector is cached before the dot products",
        ],
        "MLP, sequential": [
            "template": "\(mlpSequential):30-148: one top function runs the three layers",
            "lanes": "\(mlpSequential):111-118: 2 x 16 MACs unrolled",
            "scratchpad_kib": "\(mlpSequential):125-133: layer 2's output is written off chip",
            "weight_load": "\(mlpSequential):93-109: each weight word read with a blocking read_data.read",
            "word_bits": "\(mlpSequential):18: int16_v16, 256 bits",
            "spill": "\(mlpSequential):76-83, 125-133: layer 2's output written off chip and read back for layer 3",
        ],
        "Gating net, dataflow": gatingDataflowSources,
        "Gating net, dataflow (scaled down, optimized)": gatingDataflowSources,
        "Gating net, sequential": gatingSequentialSources,
        "Gating net, sequential (scaled down)": gatingSequentialSources,
        "MLP, InTAR": [
            "template": "\(mlpInTAR):26-61: per-stage instructions (ConfigInst) to two compute cores",
            "lanes": "\(mlpInTAR):18, 128-133, 203-209: two cores (CC0, CC1) of 16 int16 lanes",
            "compute_units": "\(mlpInTAR):128, 203: CC0_F1_F2 and CC1_F1_F3",
            "scratchpad_kib": "\(mlpInTAR):137, 214: on-chip scratchpads of hidden_size1 and output_size elements",
            "word_bits": "\(mlpInTAR):18: int16_v16, 256 bits",
            "schedule": "\(mlpInTAR):31-38, 50-57: stage 0 splits layer 1 over both cores; stage 1 runs layer 2 on CC0 and layer 3 on CC1",
        ],
        "Self-attention, InTAR": [
            "template": "\(attentionInTAR):34-80: per-stage instructions to two compute cores",
            "lanes": "\(attentionInTAR):23, 147-154: two cores of 16 int16 lanes",
            "compute_units": "\(attentionInTAR):147: CC0_QAV_Proj and its peer CC1",
            "scratchpad_kib": "\(attentionInTAR):158-162: a URAM scratchpad of seq_len x D_head",
            "flatten_loops": "\(attentionInTAR):181-196: loop bounds from the stage instruction, inner loop pipelined (a drain per row)",
            "word_bits": "\(attentionInTAR):23: int16_v16, 256 bits",
            "schedule": "\(attentionInTAR):39-52, 64-77: Q split; K with Q·Kᵀ and the softmax; V split; S·V split",
        ],
        "CNN-4L, dataflow": [
            "template": "\(cnnDataflow):77-80, 148-151, 232-235, 328-331, 446-459: four convolution tasks joined by tapa streams",
            "lanes": "\(cnnDataflow):124-126, 205-207, 294-295, 384-385: 16 columns x 9 taps unrolled per unit, four units (576; the first model read 864, rechecked: 808,797 cycles against 808,783 and 580 DSP against the measured 583)",
            "allocation": "\(cnnDataflow):126, 207, 295, 385: every unit unrolls 16 columns",
            "stream_elements": "\(cnnDataflow):455-459: FIFOs of int16_v16 between tasks, one packet per cycle read element-wise by the line buffers",
        ],
        "CNN-4L, InTAR": [
            "template": "\(cnnInTAR):96-101, 184-189, 295-300, 405-407: three compute cores and a central memory",
            "lanes": "\(cnnInTAR):155-157, 263-265, 372-377: 16 columns x 9 taps per core, three cores (432)",
            "compute_units": "\(cnnInTAR):96, 184, 295: CC0, CC1, CC2",
            "scratchpad_kib": "\(cnnInTAR):405-412: central_mem in URAM",
            "schedule": "\(cnnInTAR):96-101, 184-189, 295-300: conv1 → conv2 → conv3 pipelined over the cores, then conv4 split over all three",
            "task_lanes": "\(cnnInTAR):154-171, 262-281, 370-392: CC0, CC1 and CC2 each unroll 16 columns x 9 taps (144 lanes) for conv1, conv2 and conv3; conv4 is split by rows over all three (432)",
            "task_loops": "\(cnnInTAR):111-113, 133-177 (CC0), 200-203, 223-290 (CC1), 312-315, 334-398 (CC2), 431: each core's row loop fetches the next row (fetch_bound iterations at II=1) and then computes the row (col_bound / 16 x rr_bound iterations at II=1), in series; conv1 224 rows x (14 + 14 fetch), conv2 224 x (2 x 28 + 14), conv3 448 x (2 x 56 + 28), conv4 (st 1) 150 rows per core x (28 + 28); plus 2 cycles per entry of a pipelined loop (UG1399 2021.2, Flattening Nested Loops: one cycle into and one out of an inner loop) as the bounds vary with the stage (111-113, 200-203, 312-315): conv1 2 entries per row (136, 154), conv2 4 (227, 260, 262: the rr loop and its two compute-loop entries), conv3 58 (338, 370, 371 inside the 56-iteration col_block loop), conv4 on CC2 30 (353, 370, 371 inside 28 col_blocks)",
        ],
        "Self-attention, dataflow": [
            "template": "\(attentionDataflow):135, 214, 295, 362, 414-461: projection, S, softmax and output tasks joined by tapa streams",
            "lanes": "\(attentionDataflow):19, 185-192, 260-266, 337-344: VEC_LEN 8 MACs per unit, five MAC units (40; the first model read 160)",
            "allocation": "\(attentionDataflow):19: every unit has VEC_LEN lanes",
            "weight_load": "\(attentionDataflow):172-179: a weight column read into the unit before its rows",
            "flatten_loops": "\(attentionDataflow):181-196, 334-347: the pipelined k loop under the row loops (a drain per row)",
            "word_bits": "\(attentionDataflow):26, 44-62: each request reads one vec_t of 8 int16 (128 bits)",
            "stream_elements": "\(attentionDataflow):26, 426-437: FIFOs of vec_t, 8 elements a word",
            "matvec": "\(attentionDataflow):181-196: dot products over the cached input row",
            "task_lanes": "\(attentionDataflow):185-192 (projections), 260-266 (Q·Kᵀ, unroll factor VEC_LEN), 337-344 (S·V): 8 lanes each",
            "task_fifos": "\(attentionDataflow):434, 304-332: fifo_V holds 8 vec_t (64 elements); compute_output caches all of S before it reads the first V column, so the V projection stalls once its FIFO is full",
            "task_streams": "\(attentionDataflow):230-266, 272-282: compute_S reads one Q column and one K row per step k of the reduction and accumulates their outer product into S, written only after the last step; the projections emit K column by column (199-201), so Q·Kᵀ streams K",
        ],
        "Self-attention, sequential": [
            "template": "\(attentionSequential):41-314: one top function",
            "lanes": "\(attentionSequential):10, 33-38: vector_mac of VEC_LEN 16",
            "scratchpad_kib": "\(attentionSequential):103-114, 146-157, 189-200: Q, K and V written off chip",
            "weight_load": "\(attentionSequential):84-99: weight words requested and received in an unpipelined loop",
            "flatten_loops": "\(attentionSequential):84-99, 216-244: loops without pipeline pragmas",
            "word_bits": "\(attentionSequential):10, 14: vec_t of 16 int16, 256 bits",
            "spill": "\(attentionSequential):218-243, 273-282: Q, K, V read back from off chip",
            "task_lanes": "\(attentionSequential):33-38, 240, 288: vector_mac of VEC_LEN 16 lanes for the projections and Q·Kᵀ; S·V multiplies one scalar pair per iteration (1 lane)",
            "task_loops": "\(attentionSequential):270-292: the outer j loop (D / VEC_LEN = 64) encloses i (256) x an inner j that shadows it (64) x k (256); k, with no pragma, is pipelined by Vitis HLS's default (UG1399 config_compile -pipeline_loops 64) and restarts per (i, j)",
        ],
        "CNN-4L, sequential": [
            "template": "\(cnnSequential):52-390: one top function runs the four layers",
            "lanes": "\(cnnSequential):143-158: 16 columns x 9 taps unrolled at II=1 (144)",
            "scratchpad_kib": "\(cnnSequential):163-169: every output packet goes off chip (offchip1..3)",
            "weight_load": "\(cnnSequential):124-137, 180-198: rows fetched by a pipelined request/response loop before each row's compute (bursts, not blocking)",
            "word_bits": "\(cnnSequential):34: int16_v16, 256 bits",
            "spill": "\(cnnSequential):163-169, 184-198: layer outputs written off chip and read back row by row",
            "write_wait": "\(cnnSequential):165-169, 229-233, 300-304, 374-378: each packet's write waits for write_resp inside the II=1 loop",
        ],
        "VAE, dataflow": [
            "template": "\(vaeDataflow):109-112, 170-172, 193-196, 245-247, 305-308, 348-351: encoder, sampling and decoder tasks joined by tapa streams",
            "lanes": "\(vaeDataflow):154-160, 229-234: 8x8 and 4x4 kernels unrolled (64 and 16 MACs); decoders per the first model (208)",
            "allocation": "\(vaeDataflow):154-160, 229-234: the first model's uniform split; the units differ (64, 16, 64)",
            "stream_elements": "\(vaeDataflow):112, 172, 196, 308, 351: ap_int<16> FIFOs, one element per cycle",
            "matvec": "\(vaeDataflow):152-160: convolutions by dot products over the kernel window",
            "task_lanes": "\(vaeDataflow):152-160, 226-234, 327-336, 385-390: encoder conv1 unrolls its 8x8 window (64 lanes), encoder conv2 its 4x4 window (16), decoder conv3 its 8x8 window (64), decoder conv4 loops over an 8x8 window too (kernel_size1; 64)",
            "task_loops": "\(vaeDataflow):327-345, 370-392: decoder conv3 is a gather, rep 2 x f 2 x 25 x 25 outputs each a pipelined loop over 2 input channels of the full 8x8 window (zeros included); decoder conv4 a 28 x 28 loop at II=1 for each f 2 x c 2, after a pipelined loop reading that block's 25 x 25 inputs whole (377-383, in series: +625); final_relu (405-433) has no pipeline pragma and 28-iteration loops: per output channel 784 stores clearing its cache, then 2 x 784 read-modify-writes of it (2 cycles each), and 87 loop entries of 2 cycles (UG1399: the three i loops once, their 28-iteration j loops 28 times each), 784 + 174 = 958 in series",
        ],
        "VAE, sequential": [
            "template": "\(vaeSequential):47-57: one top function",
            "lanes": "\(vaeSequential):155-165: the 8x8 kernel unrolled (64 MACs)",
            "scratchpad_kib": "\(vaeSequential):234-235, 271-272: decoder outputs stored off chip",
            "weight_load": "\(vaeSequential):83-120: each weight word read with a blocking read_data.read",
            "word_bits": "\(vaeSequential):33, 142-143: int16_v16 inputs, 256 bits",
            "spill": "\(vaeSequential):234-235, 249-255: decoder conv3's output stored and re-read at II=2",
            "task_loops": "\(vaeSequential):125-131, 173-179 (enc1_relu, enc2_relu: the buffers' clears, 2 x 21 entries of an unpipelined 21-iteration loop, +2 transitions each); 132-170 (enc1: 4 x 441 at II=1 after a 7 x 7 input read at II=2, 98 + 2 loop entries); 180-203 (enc2: 648 entries of the 2-iteration pipelined r loop; the hls::exp chain after it, lines 196-200, is not counted: no documented latency); 206-239 (dec1: 2,500 outputs of the 2-iteration pipelined c loop, then the 8 x 8 sum, 64 one-cycle iterations in 8-iteration loops under the automatic-pipelining threshold with 9 loop entries, 64 + 18 = 82, and one off-chip store, line 235: &1); 242-276 (dec2: 4 blocks of 784 outputs at II=2 after a 625-element read at II=2, 1,250 + 2 loop entries); 278-308 (dec2_relu: per channel a 784-store clear, 784 reads added into the cache and 784 reads, adds and stores, unpipelined, 2 cycles per read-modify-write and 87 loop entries, 784 + 174 = 958 in series, and 3 x 784 single-element off-chip accesses: &2352)",
        ],
        "VAE, InTAR": [
            "template": "\(vaeInTAR):111, 257, 308, 356: two compute cores, a central cache and the sampling task",
            "lanes": "\(vaeInTAR):27-33, 111, 356: CC0 and CC1 (int16_v64 and int16_v32 operands); the first model's 192",
            "compute_units": "\(vaeInTAR):111, 356: CC0_Encoder_Decoder_Conv1 and CC1_Encoder_Decoder_Conv2",
            "scratchpad_kib": "\(vaeInTAR):257-293: central_mem_cache on chip",
            "task_loops": "\(vaeInTAR):129, 170-203: CC0 runs encoder conv1 (st 0: f 2 x 21 x 21 outputs, each bound_c = 2 iterations of the pipelined c loop over the same window) and decoder conv3 (st 2: rep 2 x f 2 x 25 x 25 outputs, 2 iterations each, a gather over the full 8x8 window); CC1's decoder conv4 (st 1: f 2 x c 2 blocks) reads each block's 25 x 25 inputs whole (461-468) before its 28 x 28 outputs at II=1 (471-508); final_relu (514-542) has no pipeline pragma and 28-iteration loops: per output channel 784 stores clearing its cache, then 2 x 784 read-modify-writes of it (2 cycles each), and 87 loop entries of 2 cycles (UG1399: the three i loops once, their 28-iteration j loops 28 times each), 784 + 174 = 958 in series",
        ],
    ]
}
