#!/usr/bin/env python3
"""Writes designs/onnx/resnet50-shapes.onnx: ResNet-50 (He et al. 2016, arXiv 1512.03385, Table 1)
in torchvision's layout (torchvision.models.resnet50: bottleneck blocks [3, 4, 6, 3] of widths
64, 128, 256, 512 expanded 4x, the stride on the 3x3 convolution, a 1x1 convolution and batch norm
on the shortcut of each stage's first block), batch norm kept as its own node, 224x224 input,
shapes only (no weight data: the importer reads dimensions), as make-onnx-fixtures.py writes
ResNet-18. Needs the `onnx` package: python3 -m venv /tmp/onnxvenv && /tmp/onnxvenv/bin/pip
install onnx==1.23.2, then /tmp/onnxvenv/bin/python scripts/make-resnet50-onnx.py."""
import os
import onnx
from onnx import helper, TensorProto

OUT = os.path.join(os.path.dirname(__file__), "..", "designs", "onnx", "resnet50-shapes.onnx")


def weight(name, dims):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    return t  # dims only


def resnet50():
    nodes, inits = [], []

    def conv(x, cin, cout, k, stride, pad, name):
        w = name + ".weight"
        inits.append(weight(w, [cout, cin, k, k]))
        nodes.append(helper.make_node("Conv", [x, w], [name], name=name, kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4))
        return name

    def bn(x, name, relu=True):
        nodes.append(helper.make_node("BatchNormalization", [x, name + ".s", name + ".b", name + ".m", name + ".v"], [name + ".bn"], name=name + ".bn"))
        for p in ["s", "b", "m", "v"]:
            inits.append(weight(name + "." + p, [1]))
        if not relu:
            return name + ".bn"
        nodes.append(helper.make_node("Relu", [name + ".bn"], [name + ".relu"], name=name + ".relu"))
        return name + ".relu"

    x = bn(conv("input", 3, 64, 7, 2, 3, "conv1"), "conv1")
    nodes.append(helper.make_node("MaxPool", [x], ["maxpool"], name="maxpool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
    x, cin = "maxpool", 64
    for stage, (width, blocks) in enumerate(zip([64, 128, 256, 512], [3, 4, 6, 3]), start=1):
        cout = width * 4
        for block in range(blocks):
            stride = 2 if stage > 1 and block == 0 else 1
            name = f"layer{stage}.{block}"
            y = bn(conv(x, cin, width, 1, 1, 0, name + ".conv1"), name + ".conv1")
            y = bn(conv(y, width, width, 3, stride, 1, name + ".conv2"), name + ".conv2")
            y = bn(conv(y, width, cout, 1, 1, 0, name + ".conv3"), name + ".conv3", relu=False)
            shortcut = x
            if stride != 1 or cin != cout:
                shortcut = bn(conv(x, cin, cout, 1, stride, 0, name + ".downsample"), name + ".downsample", relu=False)
            nodes.append(helper.make_node("Add", [y, shortcut], [name + ".add"], name=name + ".add"))
            nodes.append(helper.make_node("Relu", [name + ".add"], [name + ".out"], name=name + ".out"))
            x, cin = name + ".out", cout
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["avgpool"], name="avgpool"))
    nodes.append(helper.make_node("Flatten", ["avgpool"], ["flatten"], name="flatten", axis=1))
    inits.append(weight("fc.weight", [1000, 2048]))
    inits.append(weight("fc.bias", [1000]))
    nodes.append(helper.make_node("Gemm", ["flatten", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1))
    graph = helper.make_graph(nodes, "resnet50", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 224, 224])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000])], initializer=inits)
    return helper.make_model(graph, producer_name="intarsia-fixtures")


if __name__ == "__main__":
    model = resnet50()
    # No checker: shapes-only initializers (dims, no data) are what the importer reads, not valid weights.
    onnx.save(model, OUT)
    print("wrote", os.path.normpath(OUT), len(model.graph.node), "nodes")
