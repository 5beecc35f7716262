#!/usr/bin/env python3
"""Writes the ONNX test fixtures in Tests/IntarsiaONNXTests/Fixtures with the `onnx` package
(pip install onnx==1.23.2; scripts/generate-onnx-swift.sh makes a venv with it). Weights are
stored as shapes only (no data): the importer reads dimensions, not values."""
import os
import onnx
from onnx import helper, TensorProto

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "IntarsiaONNXTests", "Fixtures")


def weight(name, dims):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    return t  # dims only


def resnet18():
    nodes, inits = [], []
    count = [0]

    def conv(x, cin, cout, k, stride, pad, name):
        w = name + ".weight"
        inits.append(weight(w, [cout, cin, k, k]))
        nodes.append(helper.make_node("Conv", [x, w], [name], name=name, kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4))
        return name

    def bn_relu(x, name, relu=True):
        nodes.append(helper.make_node("BatchNormalization", [x, name + ".s", name + ".b", name + ".m", name + ".v"], [name + ".bn"], name=name + ".bn"))
        for p in ["s", "b", "m", "v"]:
            inits.append(weight(name + "." + p, [1]))
        if not relu:
            return name + ".bn"
        nodes.append(helper.make_node("Relu", [name + ".bn"], [name + ".relu"], name=name + ".relu"))
        return name + ".relu"

    x = bn_relu(conv("input", 3, 64, 7, 2, 3, "conv1"), "conv1")
    nodes.append(helper.make_node("MaxPool", [x], ["maxpool"], name="maxpool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
    x, cin = "maxpool", 64
    for stage, cout in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            stride = 2 if stage > 1 and block == 0 else 1
            name = f"layer{stage}.{block}"
            y = bn_relu(conv(x, cin, cout, 3, stride, 1, name + ".conv1"), name + ".conv1")
            y = bn_relu(conv(y, cout, cout, 3, 1, 1, name + ".conv2"), name + ".conv2", relu=False)
            shortcut = x
            if stride != 1 or cin != cout:
                shortcut = bn_relu(conv(x, cin, cout, 1, stride, 0, name + ".downsample"), name + ".downsample", relu=False)
            nodes.append(helper.make_node("Add", [y, shortcut], [name + ".add"], name=name + ".add"))
            nodes.append(helper.make_node("Relu", [name + ".add"], [name + ".out"], name=name + ".out"))
            x, cin = name + ".out", cout
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["avgpool"], name="avgpool"))
    nodes.append(helper.make_node("Flatten", ["avgpool"], ["flatten"], name="flatten", axis=1))
    inits.append(weight("fc.weight", [1000, 512]))
    inits.append(weight("fc.bias", [1000]))
    nodes.append(helper.make_node("Gemm", ["flatten", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1))
    graph = helper.make_graph(nodes, "resnet18", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 224, 224])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000])], initializer=inits)
    return helper.make_model(graph, producer_name="intarsia-fixtures")


def unsupported():
    inits = [weight("w", [8, 3, 3, 3])]
    nodes = [helper.make_node("Conv", ["input", "w"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
             helper.make_node("TopK", ["c", "k"], ["v", "i"], name="pick_best")]
    inits.append(weight("k", [1]))
    graph = helper.make_graph(nodes, "unsupported", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 16, 16])],
                              [helper.make_tensor_value_info("v", TensorProto.FLOAT, None)], initializer=inits)
    return helper.make_model(graph, producer_name="intarsia-fixtures")


def attention():
    l, d, h = 64, 128, 4
    inits = [weight("wq", [d, d]), weight("wk", [d, d]), weight("wv", [d, d]), weight("wo", [d, d]),
             weight("ln.s", [d]), weight("ln.b", [d])]
    shape = helper.make_tensor("heads", TensorProto.INT64, [4], [1, l, h, d // h])
    nodes = [helper.make_node("MatMul", ["x", "wq"], ["q"], name="q_proj"),
             helper.make_node("MatMul", ["x", "wk"], ["k"], name="k_proj"),
             helper.make_node("MatMul", ["x", "wv"], ["v"], name="v_proj"),
             helper.make_node("Reshape", ["q", "heads"], ["q4"], name="q_heads"),
             helper.make_node("Reshape", ["k", "heads"], ["k4"], name="k_heads"),
             helper.make_node("Reshape", ["v", "heads"], ["v4"], name="v_heads"),
             helper.make_node("Transpose", ["q4"], ["qt"], name="q_t", perm=[0, 2, 1, 3]),
             helper.make_node("Transpose", ["k4"], ["kt"], name="k_t", perm=[0, 2, 3, 1]),
             helper.make_node("Transpose", ["v4"], ["vt"], name="v_t", perm=[0, 2, 1, 3]),
             helper.make_node("MatMul", ["qt", "kt"], ["s"], name="qk"),
             helper.make_node("Softmax", ["s"], ["p"], name="softmax", axis=-1),
             helper.make_node("MatMul", ["p", "vt"], ["o"], name="sv"),
             helper.make_node("Transpose", ["o"], ["ot"], name="o_t", perm=[0, 2, 1, 3]),
             helper.make_node("Reshape", ["ot", "flat"], ["of"], name="o_flat"),
             helper.make_node("MatMul", ["of", "wo"], ["y"], name="o_proj"),
             helper.make_node("Add", ["y", "x"], ["r"], name="residual"),
             helper.make_node("LayerNormalization", ["r", "ln.s", "ln.b"], ["out"], name="ln", axis=-1)]
    flat = helper.make_tensor("flat", TensorProto.INT64, [3], [1, l, d])
    graph = helper.make_graph(nodes, "attention", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, l, d])],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, l, d])], initializer=inits + [shape, flat])
    return helper.make_model(graph, producer_name="intarsia-fixtures")


def grouped(weight_dims, name):
    """A 3x3 convolution with group 8 over 8 channels (depthwise) and the given weight shape:
    [8, 1, 3, 3] is consistent, [8, 2, 3, 3] is not (2 channels per filter x 8 groups != 8)."""
    inits = [weight("w", weight_dims)]
    nodes = [helper.make_node("Conv", ["input", "w"], ["y"], name="dw_conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=8)]
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 8, 16, 16])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializer=inits)
    return helper.make_model(graph, producer_name="intarsia-fixtures")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, model in [("resnet18-shapes", resnet18()), ("unsupported-op", unsupported()), ("attention", attention()),
                        ("depthwise", grouped([8, 1, 3, 3], "depthwise")), ("grouped-bad-weights", grouped([8, 2, 3, 3], "grouped-bad-weights"))]:
        onnx.save(model, os.path.join(OUT, name + ".onnx"))
        print("wrote", name)
