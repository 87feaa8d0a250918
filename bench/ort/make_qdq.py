#!/usr/bin/python3
"""QDQ (QuantizeLinear/DequantizeLinear) INT8 ONNX models that ONNX Runtime fuses into QLinearConv,
plus the calibration inputs shared with pot. Debian's python3-onnx / python3-numpy / python3-pil only.

    make_qdq.py images SRC_DIR OUT_DIR --count N --size S [--resize R | --stretch]
        preprocessed float32 [1,3,S,S] .npy tensors (RGB, /255, ImageNet mean/std, NCHW) from the
        JPEG/PNG images in SRC_DIR (sorted; cycled if fewer than N)
    make_qdq.py augment MODEL.onnx OUT_AUG.onnx OUT_TENSORS.json [--scope conv|full]
        the model (converted to opset 13 if older) with every tensor to be quantized added as a graph
        output, and the list of those tensors; calib.js runs it over the calibration .npy files
    make_qdq.py quantize MODEL.onnx RANGES.json OUT_QDQ.onnx [--scope conv|full] [--range minmax|mean_minmax]
        the QDQ model: activations uint8 asymmetric per tensor, weights int8 symmetric per output
        channel (DequantizeLinear axis=0), biases int32 with scale s_x * s_w
    make_qdq.py count MODEL.onnx [--json]
        op-type histogram (for ORT's optimized model: QLinearConv vs Conv)

Which tensors get a Q->DQ pair (--scope):
  conv: every Conv's activation input, and its output (after the Relu / Clip that follows it, if the
        Conv's only consumer is one) -- the minimum for ORT to turn every Conv into QLinearConv.
  full (default): also both inputs and the (post-Relu) output of every Add of two activations
        (ORT: QLinearAdd), the input and output of GlobalAveragePool / AveragePool, and the activation
        input of Gemm / MatMul (ORT: QGemm / MatMulIntegerToFloat), the weight of those quantized too.
  MaxPool / Flatten / Reshape / Transpose / Squeeze / Unsqueeze between two quantized tensors reuse
  their input's scale and zero point, so ORT drops the Q/DQ around them and runs them on uint8.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FOLLOW_OPS = ("Relu", "Clip")
PASSTHROUGH_OPS = ("MaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze")
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(3, 1, 1)


# ---------------------------------------------------------------- calibration / benchmark inputs
def cmd_images(args):
    from PIL import Image

    exts = (".jpeg", ".jpg", ".png")
    files = sorted(f for f in os.listdir(args.src) if f.lower().endswith(exts))
    if not files:
        sys.exit(f"make_qdq: no JPEG/PNG images in {args.src}")
    os.makedirs(args.out, exist_ok=True)
    s = args.size
    for i in range(args.count):
        name = files[i % len(files)]
        img = Image.open(os.path.join(args.src, name)).convert("RGB")
        if args.stretch:
            img = img.resize((s, s), Image.BILINEAR)
        else:
            r = args.resize or s
            w, h = img.size
            k = r / min(w, h)
            img = img.resize((max(r, round(w * k)), max(r, round(h * k))), Image.BILINEAR)
            w, h = img.size
            left, top = (w - s) // 2, (h - s) // 2
            img = img.crop((left, top, left + s, top + s))
        x = np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0
        x = ((x - MEAN) / STD).astype(np.float32)[None]
        np.save(os.path.join(args.out, f"calib_{i:04d}.npy"), x)
    print(f"{args.count} tensors [1,3,{s},{s}] in {args.out}")


# ---------------------------------------------------------------- graph helpers
def load(path):
    model = onnx.load(path)
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    if opset < 13:  # per-channel DequantizeLinear (axis) needs opset 13
        from onnx import version_converter

        model = version_converter.convert_version(model, 13)
    return model


class Graph:
    def __init__(self, model):
        self.g = model.graph
        self.inits = {t.name: t for t in self.g.initializer}
        self.consumers = {}
        self.producer = {}
        for n in self.g.node:
            for i in n.input:
                if i:
                    self.consumers.setdefault(i, []).append(n)
            for o in n.output:
                self.producer[o] = n
        self.outputs = {o.name for o in self.g.output}
        # Constant-node outputs count as constants too.
        self.const_nodes = {n.output[0]: n for n in self.g.node if n.op_type == "Constant"}

    def is_const(self, name):
        return name in self.inits or name in self.const_nodes

    def const_value(self, name):
        if name in self.inits:
            return numpy_helper.to_array(self.inits[name])
        n = self.const_nodes[name]
        for a in n.attribute:
            if a.name == "value":
                return numpy_helper.to_array(a.t)
        raise ValueError(f"Constant {name} without a tensor value")

    def follow(self, t):
        """The tensor to quantize for a compute op's output t: the output of the Relu/Clip that is
        t's only consumer (ORT folds that activation into the Q), else t itself."""
        cons = self.consumers.get(t, [])
        if len(cons) == 1 and cons[0].op_type in FOLLOW_OPS and t not in self.outputs:
            return cons[0].output[0]
        return t


def select(model, scope):
    """Ordered list of activation tensors to quantize."""
    gr = Graph(model)
    chosen = []
    seen = set()

    def add(t):
        if t and not gr.is_const(t) and t not in seen:
            seen.add(t)
            chosen.append(t)

    for n in model.graph.node:
        op = n.op_type
        if op == "Conv":
            add(n.input[0])
            add(gr.follow(n.output[0]))
        elif scope == "full" and op == "Add":
            if len(n.input) == 2 and not gr.is_const(n.input[0]) and not gr.is_const(n.input[1]):
                add(n.input[0])
                add(n.input[1])
                add(gr.follow(n.output[0]))
        elif scope == "full" and op in ("GlobalAveragePool", "AveragePool"):
            add(n.input[0])
            add(n.output[0])
        elif scope == "full" and op in ("Gemm", "MatMul"):
            if gr.is_const(n.input[1]) and not gr.is_const(n.input[0]):
                add(n.input[0])
    return chosen


# ---------------------------------------------------------------- augment
def cmd_augment(args):
    model = load(args.model)
    tensors = select(model, args.scope)
    existing = {o.name for o in model.graph.output}
    for t in tensors:
        if t not in existing:
            model.graph.output.append(helper.make_tensor_value_info(t, TensorProto.FLOAT, None))
    onnx.save(model, args.out)
    with open(args.tensors, "w") as f:
        json.dump({"model": os.path.abspath(args.model), "scope": args.scope, "tensors": tensors}, f, indent=1)
    print(f"{len(tensors)} tensors to calibrate ({args.scope}) -> {args.out}")


# ---------------------------------------------------------------- quantize
def act_params(lo, hi):
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi - lo < 1e-8:
        hi = lo + 1e-8
    scale = (hi - lo) / 255.0
    zp = int(np.clip(round(-lo / scale), 0, 255))
    return np.float32(scale), np.uint8(zp)


def per_channel_int8(w, axis):
    moved = np.moveaxis(w, axis, 0)
    amax = np.abs(moved.reshape(moved.shape[0], -1)).max(axis=1)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def cmd_quantize(args):
    model = load(args.model)
    with open(args.ranges) as f:
        ranges = json.load(f)["ranges"]
    tensors = select(model, args.scope)
    missing = [t for t in tensors if t not in ranges]
    if missing:
        sys.exit(f"make_qdq: no calibration range for {len(missing)} tensors, e.g. {missing[0]}")
    gr = Graph(model)
    g = model.graph
    key_lo, key_hi = ("min", "max") if args.range == "minmax" else ("mean_min", "mean_max")
    params = {t: act_params(ranges[t][key_lo], ranges[t][key_hi]) for t in tensors}
    # Pass-through ops between two quantized tensors share the input's parameters.
    for n in g.node:
        if n.op_type in PASSTHROUGH_OPS and n.input[0] in params and n.output[0] in params:
            params[n.output[0]] = params[n.input[0]]

    new_inits = []
    new_nodes = {}  # node index -> nodes to insert before it
    dq_name = {}

    # Activations: T -> QuantizeLinear -> T_q -> DequantizeLinear -> T_dq; consumers read T_dq.
    after = {}  # producer node index (or -1 for graph inputs) -> nodes to insert after it
    producer_index = {o: i for i, n in enumerate(g.node) for o in n.output}
    for t in tensors:
        scale, zp = params[t]
        base = t.replace("/", "_").strip("_")
        s_name, z_name = f"{base}_qscale", f"{base}_qzp"
        new_inits.append(numpy_helper.from_array(np.array(scale, dtype=np.float32), s_name))
        new_inits.append(numpy_helper.from_array(np.array(zp, dtype=np.uint8), z_name))
        q = helper.make_node("QuantizeLinear", [t, s_name, z_name], [f"{base}_q"], name=f"{base}_Q")
        dq = helper.make_node("DequantizeLinear", [f"{base}_q", s_name, z_name], [f"{base}_dq"], name=f"{base}_DQ")
        after.setdefault(producer_index.get(t, -1), []).extend([q, dq])
        dq_name[t] = f"{base}_dq"

    for n in g.node:
        for k, i in enumerate(n.input):
            if i in dq_name:
                n.input[k] = dq_name[i]

    # Weights and biases of Conv / Gemm / MatMul whose activation input is quantized.
    used_inits = {}
    for n in g.node:
        for i in n.input:
            used_inits[i] = used_inits.get(i, 0) + 1
    dead = set()
    counts = {"Conv": 0, "Gemm": 0, "MatMul": 0}
    for idx, n in enumerate(g.node):
        if n.op_type not in counts or len(n.input) < 2:
            continue
        x = n.input[0]
        src = next((t for t, d in dq_name.items() if d == x), None)
        if src is None or n.input[1] not in gr.inits:
            continue
        w = numpy_helper.to_array(gr.inits[n.input[1]]).astype(np.float32)
        axis = 0
        if n.op_type == "Gemm":
            trans_b = next((a.i for a in n.attribute if a.name == "transB"), 0)
            axis = 0 if trans_b else 1
        elif n.op_type == "MatMul":
            if w.ndim != 2:
                continue
            axis = 1
        wq, ws = per_channel_int8(w, axis)
        wname = f"{n.name or n.output[0]}_W".replace("/", "_").strip("_")
        new_inits += [numpy_helper.from_array(wq, wname + "_int8"),
                      numpy_helper.from_array(ws, wname + "_scale"),
                      numpy_helper.from_array(np.zeros_like(ws, dtype=np.int8), wname + "_zp")]
        pre = [helper.make_node("DequantizeLinear", [wname + "_int8", wname + "_scale", wname + "_zp"],
                                [wname + "_dq"], name=wname + "_DQ", axis=axis)]
        if used_inits[n.input[1]] == 1:
            dead.add(n.input[1])
        n.input[1] = wname + "_dq"
        bias_idx = 2
        if len(n.input) > bias_idx and n.input[bias_idx] in gr.inits:
            b = numpy_helper.to_array(gr.inits[n.input[bias_idx]]).astype(np.float64)
            if b.ndim == 1 and b.shape[0] == ws.shape[0]:
                bscale = (np.float64(params[src][0]) * ws.astype(np.float64)).astype(np.float32)
                bq = np.clip(np.round(b / bscale), -2**31, 2**31 - 1).astype(np.int32)
                bname = wname.replace("_W", "_B") + "_b"
                new_inits += [numpy_helper.from_array(bq, bname + "_int32"),
                              numpy_helper.from_array(bscale, bname + "_scale")]
                pre.append(helper.make_node("DequantizeLinear", [bname + "_int32", bname + "_scale"],
                                            [bname + "_dq"], name=bname + "_DQ", axis=0))
                if used_inits[n.input[bias_idx]] == 1:
                    dead.add(n.input[bias_idx])
                n.input[bias_idx] = bname + "_dq"
        new_nodes[idx] = pre
        counts[n.op_type] += 1

    nodes = list(after.get(-1, []))
    for idx, n in enumerate(g.node):
        nodes += new_nodes.get(idx, [])
        nodes.append(n)
        nodes += after.get(idx, [])
    del g.node[:]
    g.node.extend(nodes)
    kept = [t for t in g.initializer if t.name not in dead]
    del g.initializer[:]
    g.initializer.extend(kept + new_inits)
    onnx.checker.check_model(model)
    onnx.save(model, args.out)
    print(f"{args.out}: {len(tensors)} activations quantized ({args.scope}, {args.range}), "
          f"int8 weights on {counts['Conv']} Conv, {counts['Gemm']} Gemm, {counts['MatMul']} MatMul")


# ---------------------------------------------------------------- count
def cmd_count(args):
    model = onnx.load(args.model, load_external_data=False)
    hist = {}

    def walk(graph):
        for n in graph.node:
            k = n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}"
            hist[k] = hist.get(k, 0) + 1
            for a in n.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    walk(a.g)

    walk(model.graph)
    if args.json:
        print(json.dumps(dict(sorted(hist.items()))))
    else:
        for k, v in sorted(hist.items(), key=lambda kv: -kv[1]):
            print(f"{v:6d}  {k}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("images")
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--resize", type=int, default=256)
    p.add_argument("--stretch", action="store_true")
    p = sub.add_parser("augment")
    p.add_argument("model")
    p.add_argument("out")
    p.add_argument("tensors")
    p.add_argument("--scope", choices=("conv", "full"), default="full")
    p = sub.add_parser("quantize")
    p.add_argument("model")
    p.add_argument("ranges")
    p.add_argument("out")
    p.add_argument("--scope", choices=("conv", "full"), default="full")
    p.add_argument("--range", choices=("minmax", "mean_minmax"), default="mean_minmax")
    p = sub.add_parser("count")
    p.add_argument("model")
    p.add_argument("--json", action="store_true")
    args = ap.parse_args()
    {"images": cmd_images, "augment": cmd_augment, "quantize": cmd_quantize, "count": cmd_count}[args.cmd](args)


if __name__ == "__main__":
    main()
