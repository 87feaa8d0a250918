#!/usr/bin/python3
"""Full-size torchvision classifiers (random weights, BatchNorm re-estimated) exported to ONNX with
an input and torch's output, for local checks of mo that are too big for the repository:

    /usr/bin/python3 bench/models/gen_full_models.py OUT_DIR [name ...]
    Q8_FULL_MODELS=OUT_DIR build/bin/golden_models_tests --gtest_filter='Full*'

Writes NAME.onnx, NAME.input.npy, NAME.expected.npy like tests/fixtures/models/gen_models.py.
"""
import os
import sys

import numpy as np
import torch
import torchvision.models as tvm

MODELS = {
    "resnet18": (lambda: tvm.resnet18(), 224, 13),
    "resnet34": (lambda: tvm.resnet34(), 224, 13),
    "resnet50": (lambda: tvm.resnet50(), 224, 13),
    "mobilenet_v2": (lambda: tvm.mobilenet_v2(), 224, 13),
    "mobilenet_v3_large": (lambda: tvm.mobilenet_v3_large(), 224, 13),
    "squeezenet1_1": (lambda: tvm.squeezenet1_1(), 224, 11),
    "densenet121": (lambda: tvm.densenet121(), 224, 13),
    "googlenet": (lambda: tvm.googlenet(aux_logits=False, init_weights=True), 224, 13),
    "inception_v3": (lambda: tvm.inception_v3(aux_logits=False, init_weights=True), 299, 13),
    "shufflenet_v2": (lambda: tvm.shufflenet_v2_x1_0(), 224, 11),
    "efficientnet_b0": (lambda: tvm.efficientnet_b0(), 224, 13),
    "vgg16": (lambda: tvm.vgg16(), 224, 11),
}


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or list(MODELS)
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(2)
    for index, name in enumerate(names):
        make, size, opset = MODELS[name]
        torch.manual_seed(2000 + index)
        model = make()
        model.train()
        with torch.no_grad():
            for _ in range(2):
                model(torch.randn(2, 3, size, size))
        model.eval()
        x = torch.randn(1, 3, size, size)
        with torch.no_grad():
            y = model(x)
        path = os.path.join(out, name + ".onnx")
        torch.onnx.export(model, x, path, input_names=["input"], output_names=["logits"], opset_version=opset)
        np.save(os.path.join(out, name + ".input.npy"), x.numpy())
        np.save(os.path.join(out, name + ".expected.npy"), y.numpy())
        print(f"{name}: {os.path.getsize(path) >> 20} MB", flush=True)


if __name__ == "__main__":
    main()
