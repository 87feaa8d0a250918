#!/usr/bin/python3
"""Trains torchvision MobileNetV2 and ResNet-18 (num_classes=10) on Fashion-MNIST for a bounded
time each and exports them to ONNX, for local INT8 accuracy checks of pot that are too big for the
repository (the script is committed, the models are not):

    /usr/bin/python3 bench/models/train_fmnist.py [--out /work/full-models/fmnist] [--minutes 8]
                                                 [--size 32] [name ...]      (names: mobilenet_v2 resnet18)
    build/bin/int8-run eval -m OUT/resnet18.onnx --metric top1 \\
        --dataset /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz

Measured with --minutes 5 on 2 shared cores (torch FP32 = int8-run eval FP32 IR = ONNX, 10,000 t10k):
mobilenet_v2 1.22 epochs 84.75% (9 MB); resnet18 1.67 epochs 89.79% (45 MB). Longer budgets help.

Models: input "input" [1,3,S,S] (S = --size, default 32) of raw pixel values 0..255 as float, output
"logits" [1,10]. The normalisation (x/255 - mean)/std is the model's first op, so int8-run/pot need
no --mean/--scale.

Training uses exactly the preprocessing that int8-run/pot apply to a 28x28 gray idx image for an
SxS 3-channel input (libcommon/image/preprocess.cpp): gray replicated to 3 channels, bilinear resize
28->S with half-pixel centers (align_corners=False, source coordinate clamped to [0, 27], no
antialias), "cover" = straight to SxS (square image, so the center crop is a no-op), each pixel
rounded to u8 (round half up). So the torch FP32 accuracy printed here should equal int8-run's.

Training: Adam (lr 2e-3), batch 128, linear warmup over the first 3% of the time budget then cosine
decay to the end of it, random horizontal flips. Seeds fixed, but the number of
steps depends on the machine's speed (time budget), so runs are not bit-reproducible.
Reads Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/*.gz). 2 threads.
"""
import argparse
import gzip
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST train set, pixels in [0, 1]

MODELS = {
    "mobilenet_v2": lambda: tvm.mobilenet_v2(num_classes=10),
    "resnet18": lambda: tvm.resnet18(num_classes=10),
}


def load_idx(split):
    with gzip.open(f"{DATA}/{split}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(f"{DATA}/{split}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    assert len(images) == len(labels)
    return images, labels


def bilinear_matrix(src, dst):
    """[dst, src] weights of q8's bilinear_taps (half-pixel centers, clamped, no antialias)."""
    m = np.zeros((dst, src), np.float64)
    s = src / dst
    for i in range(dst):
        f = min(max((i + 0.5) * s - 0.5, 0.0), src - 1.0)
        i0 = int(f)
        w = f - i0
        if i0 + 1 < src:
            m[i, i0] += 1 - w
            m[i, i0 + 1] += w
        else:
            m[i, i0] += 1
    return m


def resize_like_q8(images, size):
    """[N,28,28] u8 -> [N,size,size] u8 as q8::image::resize does (rows first, then columns, then
    round half up). For 28->32 all weights are multiples of 1/16, so float64 sums are exact."""
    if size == images.shape[1]:
        return images
    wy = bilinear_matrix(images.shape[1], size)
    wx = bilinear_matrix(images.shape[2], size)
    out = np.empty((len(images), size, size), np.uint8)
    for i in range(0, len(images), 5000):
        v = np.einsum("yh,nhw,xw->nyx", wy, images[i:i + 5000].astype(np.float64), wx)
        out[i:i + 5000] = np.clip(np.floor(v + 0.5), 0, 255).astype(np.uint8)
    return out


class Normalized(nn.Module):
    """Raw 0..255 input -> (x/255 - mean)/std (one Mul, one Add) -> the torchvision net."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x * (1.0 / (255.0 * STD)) + (-MEAN / STD))


def batch_tensor(images_u8):
    x = torch.from_numpy(images_u8.astype(np.float32)).unsqueeze(1)
    return x.expand(-1, 3, -1, -1).contiguous()  # gray replicated to 3 channels


def evaluate(model, images, labels, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(images), batch):
            pred = model(batch_tensor(images[i:i + batch])).argmax(1).numpy()
            correct += int((pred == labels[i:i + batch]).sum())
    return 100.0 * correct / len(images)


def train(name, train_x, train_y, test_x, test_y, minutes, out, seed, lr):
    torch.manual_seed(seed)
    gen = np.random.default_rng(seed)
    model = Normalized(MODELS[name]())
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    budget = minutes * 60.0
    start = time.time()
    step, seen, epoch = 0, 0, 0
    done = False
    while not done:
        epoch += 1
        order = gen.permutation(len(train_x))
        model.train()
        total, count = 0.0, 0
        for i in range(0, len(order) - 127, 128):
            elapsed = time.time() - start
            if elapsed >= budget:
                done = True
                break
            frac = elapsed / budget
            scale = frac / 0.03 if frac < 0.03 else 0.5 * (1 + math.cos(math.pi * (frac - 0.03) / 0.97))
            for g in opt.param_groups:
                g["lr"] = lr * max(scale, 0.01)
            idx = order[i:i + 128]
            x = batch_tensor(train_x[idx])
            flip = torch.from_numpy(gen.random(len(idx)) < 0.5)
            x[flip] = torch.flip(x[flip], dims=[3])
            y = torch.from_numpy(train_y[idx].astype(np.int64))
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            seen += len(idx)
            total += float(loss) * len(idx)
            count += len(idx)
            if step % 100 == 0:
                print(f"  {name} epoch {epoch} step {step}: loss {total / count:.4f} "
                      f"({time.time() - start:.0f} s)", flush=True)
    train_s = time.time() - start
    model.eval()
    t0 = time.time()
    acc = evaluate(model, test_x, test_y)
    size = test_x.shape[1]
    path = os.path.join(out, f"{name}.onnx")
    torch.onnx.export(model, torch.zeros(1, 3, size, size), path, opset_version=13, input_names=["input"],
                      output_names=["logits"], do_constant_folding=True)
    print(f"{name}: {step} steps ({seen / len(train_x):.2f} epochs) in {train_s:.0f} s; FP32 torch top1 on "
          f"t10k (10000 images, {size}x{size}x3): {acc:.2f}% (eval {time.time() - t0:.0f} s); "
          f"wrote {path} ({os.path.getsize(path)} bytes)", flush=True)
    return acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", default=list(MODELS))
    ap.add_argument("--out", default="/work/full-models/fmnist")
    ap.add_argument("--minutes", type=float, default=8.0, help="training time per model")
    ap.add_argument("--size", type=int, default=32, help="input height and width (>= 28)")
    ap.add_argument("--lr", type=float, default=2e-3)
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    train_x, train_y = load_idx("train")
    test_x, test_y = load_idx("t10k")
    train_x, test_x = resize_like_q8(train_x, args.size), resize_like_q8(test_x, args.size)
    results = {}
    for index, name in enumerate(args.names):
        results[name] = train(name, train_x, train_y, test_x, test_y, args.minutes, args.out, 8 + index, args.lr)
    for name, acc in results.items():
        print(f"{name}: FP32 torch top1 {acc:.2f}%")


if __name__ == "__main__":
    main()
