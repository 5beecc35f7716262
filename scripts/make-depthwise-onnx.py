#!/usr/bin/env python3
"""Writes two depthwise-separable networks as shapes-only ONNX models to designs/onnx/ with the
`onnx` package (pip install onnx==1.23.2; the ZigZag venv of validation/peers/README.md has it):

  mobilenetv2-shapes.onnx   torchvision MobileNetV2, width 1.0, 224x224 input
  mnasnet1_0-shapes.onnx    torchvision MNASNet-1.0 (mnasnet1_0), 224x224 input

Layout as in torchvision (eval mode, BatchNormalization kept, not folded): every convolution
has bias=False and is followed by BatchNormalization, then ReLU6 (Clip 0..6, MobileNetV2) or
Relu (MNASNet) unless it is a linear projection; inverted residuals add their input (Add) when
stride is 1 and the channel count is kept; a global average pool, Flatten and a Gemm classifier
1280 -> 1000 close both networks (torchvision's Dropout is an identity at inference and left out;
MNASNet's x.mean([2, 3]) is written as GlobalAveragePool + Flatten). Depthwise convolutions use
the ONNX `group` attribute with weight shape [K, C/group, R, S].

Node names follow torch.onnx.export's scope naming (/features/features.1/conv/conv.0/conv.0.0/Conv,
/layers/layers.8/layers.8.0/layers/layers.3/Conv, /classifier/classifier.1/Gemm), so the
MobileNetV2 convolution names equal those of the MobileNetV2 ONNX bundled with zigzag-dse 3.9.1.

Weights are stored as shapes only (dims, no data), like scripts/make-onnx-fixtures.py: the
importers read dimensions, not values. The two Clip bounds (0 and 6) are real scalars. No
value_info is stored; run `onnx.shape_inference.infer_shapes` on a copy when a tool needs the
intermediate shapes (validation/peers/run_zigzag_depthwise.py does this for ZigZag).

Usage: python3 scripts/make-depthwise-onnx.py [--out designs/onnx]
"""
import argparse
import os

import onnx
from onnx import TensorProto, helper

OPSET = 14  # as torchvision's export bundled with zigzag-dse (pytorch 1.13, opset 14)
HERE = os.path.dirname(os.path.abspath(__file__))


def dims_only(name, dims):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    return t  # dims only, no data


class Net:
    def __init__(self):
        self.nodes, self.inits = [], []
        self.names = set()

    def node(self, op, inputs, name, **attrs):
        assert name not in self.names, name
        self.names.add(name)
        out = name + "_output_0"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def conv(self, x, cin, cout, k, stride, groups, scope):
        """Conv (bias=False), padding k//2, weight [cout, cin/groups, k, k]."""
        w = scope + ".weight"
        self.inits.append(dims_only(w, [cout, cin // groups, k, k]))
        p = k // 2
        return self.node("Conv", [x, w], scope + "/Conv", dilations=[1, 1], group=groups,
                         kernel_shape=[k, k], pads=[p, p, p, p], strides=[stride, stride])

    def bn(self, x, c, scope):
        params = [scope + "." + p for p in ("weight", "bias", "running_mean", "running_var")]
        for p in params:
            self.inits.append(dims_only(p, [c]))
        return self.node("BatchNormalization", [x] + params, scope + "/BatchNormalization", epsilon=1e-5, momentum=0.9)

    def relu6(self, x, scope):
        return self.node("Clip", [x, "relu6.min", "relu6.max"], scope + "/Clip")

    def relu(self, x, scope):
        return self.node("Relu", [x], scope + "/Relu")

    def head(self, x, c, classes=1000):
        x = self.node("GlobalAveragePool", [x], "/GlobalAveragePool")
        x = self.node("Flatten", [x], "/Flatten", axis=1)
        self.inits.append(dims_only("classifier.1.weight", [classes, c]))
        self.inits.append(dims_only("classifier.1.bias", [classes]))
        return self.node("Gemm", [x, "classifier.1.weight", "classifier.1.bias"], "/classifier/classifier.1/Gemm",
                         alpha=1.0, beta=1.0, transB=1)

    def model(self, graph_name, out, classes=1000):
        graph = helper.make_graph(self.nodes, graph_name,
                                  [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 224, 224])],
                                  [helper.make_tensor_value_info(out, TensorProto.FLOAT, [1, classes])],
                                  initializer=self.inits)
        m = helper.make_model(graph, producer_name="intarsia-depthwise", opset_imports=[helper.make_opsetid("", OPSET)])
        m.ir_version = 8
        return m


def mobilenetv2():
    """torchvision.models.mobilenet_v2(width_mult=1.0): features.0 = ConvBNReLU6(3->32, 3x3, s2);
    features.1..17 inverted residuals from (t, c, n, s) = (1,16,1,1) (6,24,2,2) (6,32,3,2)
    (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1); features.18 = ConvBNReLU6(320->1280, 1x1)."""
    n = Net()
    n.inits.append(helper.make_tensor("relu6.min", TensorProto.FLOAT, [], [0.0]))
    n.inits.append(helper.make_tensor("relu6.max", TensorProto.FLOAT, [], [6.0]))

    def cbr(x, cin, cout, k, s, g, scope):
        y = n.conv(x, cin, cout, k, s, g, scope + "/" + scope.rsplit("/", 1)[1] + ".0")
        y = n.bn(y, cout, scope + "/" + scope.rsplit("/", 1)[1] + ".1")
        return n.relu6(y, scope + "/" + scope.rsplit("/", 1)[1] + ".2")

    x = cbr("input", 3, 32, 3, 2, 1, "/features/features.0")
    cin, idx = 32, 1
    for t, c, reps, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(reps):
            stride = s if i == 0 else 1
            hidden = cin * t
            f = f"/features/features.{idx}/conv"
            y, j = x, 0
            if t != 1:
                y = cbr(y, cin, hidden, 1, 1, 1, f"{f}/conv.{j}")
                j += 1
            y = cbr(y, hidden, hidden, 3, stride, hidden, f"{f}/conv.{j}")
            j += 1
            y = n.conv(y, hidden, c, 1, 1, 1, f"{f}/conv.{j}")
            y = n.bn(y, c, f"{f}/conv.{j + 1}")
            if stride == 1 and cin == c:
                y = n.node("Add", [x, y], f"/features/features.{idx}/Add")
            x, cin, idx = y, c, idx + 1
    x = cbr(x, cin, 1280, 1, 1, 1, f"/features/features.{idx}")
    return n.model("mobilenetv2", n.head(x, 1280))


def mnasnet1_0():
    """torchvision.models.mnasnet1_0 (alpha 1.0, depths 32 16 24 40 80 96 192 320):
    layers.0-2 ConvBNReLU(3->32, 3x3, s2); layers.3-5 depthwise 3x3 ConvBNReLU(32); layers.6-7
    Conv 1x1 32->16 + BN; layers.8-13 stacks of inverted residuals (in, out, k, s, expansion,
    repeats) = (16,24,3,2,3,3) (24,40,5,2,3,3) (40,80,5,2,6,3) (80,96,3,1,6,2) (96,192,5,2,6,4)
    (192,320,3,1,6,1); layers.14-16 ConvBNReLU(320->1280, 1x1); mean over H, W; Linear 1280->1000."""
    n = Net()
    x = n.relu(n.bn(n.conv("input", 3, 32, 3, 2, 1, "/layers/layers.0"), 32, "/layers/layers.1"), "/layers/layers.2")
    x = n.relu(n.bn(n.conv(x, 32, 32, 3, 1, 32, "/layers/layers.3"), 32, "/layers/layers.4"), "/layers/layers.5")
    x = n.bn(n.conv(x, 32, 16, 1, 1, 1, "/layers/layers.6"), 16, "/layers/layers.7")
    cin = 16
    for li, (cout, k, s, e, reps) in enumerate([(24, 3, 2, 3, 3), (40, 5, 2, 3, 3), (80, 5, 2, 6, 3),
                                                 (96, 3, 1, 6, 2), (192, 5, 2, 6, 4), (320, 3, 1, 6, 1)], start=8):
        for i in range(reps):
            stride = s if i == 0 else 1
            mid = cin * e
            b = f"/layers/layers.{li}/layers.{li}.{i}"
            f = b + "/layers/layers"
            y = n.relu(n.bn(n.conv(x, cin, mid, 1, 1, 1, f + ".0"), mid, f + ".1"), f + ".2")
            y = n.relu(n.bn(n.conv(y, mid, mid, k, stride, mid, f + ".3"), mid, f + ".4"), f + ".5")
            y = n.bn(n.conv(y, mid, cout, 1, 1, 1, f + ".6"), cout, f + ".7")
            if stride == 1 and cin == cout:
                y = n.node("Add", [y, x], b + "/Add")
            x, cin = y, cout
    x = n.relu(n.bn(n.conv(x, cin, 1280, 1, 1, 1, "/layers/layers.14"), 1280, "/layers/layers.15"), "/layers/layers.16")
    return n.model("mnasnet1_0", n.head(x, 1280))


NETWORKS = {"mobilenetv2-shapes": mobilenetv2, "mnasnet1_0-shapes": mnasnet1_0}

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Write shapes-only MobileNetV2 and MNASNet-1.0 ONNX models.")
    ap.add_argument("--out", default=os.path.normpath(os.path.join(HERE, "..", "designs", "onnx")))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, build in NETWORKS.items():
        model = build()
        path = os.path.join(args.out, name + ".onnx")
        onnx.save(model, path)
        convs = [nd for nd in model.graph.node if nd.op_type == "Conv"]
        dw = sum(1 for nd in convs if any(a.name == "group" and a.i > 1 for a in nd.attribute))
        print(f"wrote {path}: {len(model.graph.node)} nodes, {len(convs)} Conv ({dw} depthwise), {os.path.getsize(path)} bytes")
