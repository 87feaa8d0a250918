#!/usr/bin/python3
"""Writes the fuzz corpus seeds that are not copies of tests/fixtures files (run from anywhere;
needs Debian's python3-numpy and python3-pil): JPEGs, .npy files of every dtype, the ir_xml and
ir_bin inputs. The other seeds are copied from tests/fixtures as listed in COPIES."""
import io
import os
import shutil
import struct

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")

COPIES = {
    "onnx": ["onnx/argmax_classifier.onnx", "eval/fixed_det.onnx",
             "eval/scores6.onnx"],
    "graphdef": ["tf/argmax_classifier.pb", "tf/kws_tiny.pb"],
    "pot_json": ["pot/full.json", "pot/ssd_resnet34_1200_int8_simplified.json"],
    "coco_json": ["coco/instances_small.json"],
    "png": ["images/rgb8.png", "images/rgb16.png", "images/rgba8.png", "images/gray8.png",
            "images/gray16.png", "images/gray_alpha8.png", "images/palette8.png"],
    "npy": ["eval/scores6.npy", "models/ssd_resnet34_tiny.labels.npy"],
}


def out(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def gradient(w, h):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), (x + y) * 127 // max(w + h - 2, 1)],
                    axis=-1).astype(np.uint8)


def jpeg(img, **kw):
    buf = io.BytesIO()
    img.save(buf, format="JPEG", **kw)
    return buf.getvalue()


def npy(arr):
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def main():
    for target, files in COPIES.items():
        for rel in files:
            os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
            shutil.copyfile(os.path.join(ROOT, "tests/fixtures", rel),
                            os.path.join(CORPUS, target, os.path.basename(rel)))

    rgb = Image.fromarray(gradient(13, 9))
    out("jpeg", "rgb.jpg", jpeg(rgb, quality=75))
    out("jpeg", "rgb_progressive.jpg", jpeg(rgb, quality=60, progressive=True))
    out("jpeg", "rgb_444.jpg", jpeg(rgb, quality=90, subsampling=0))
    out("jpeg", "gray.jpg", jpeg(rgb.convert("L"), quality=75))

    out("npy", "f16_2x3.npy", npy(np.arange(6, dtype=np.float16).reshape(2, 3)))
    out("npy", "f64_scalar.npy", npy(np.array(2.5, dtype=np.float64)))
    out("npy", "i8_4.npy", npy(np.arange(-2, 2, dtype=np.int8)))
    out("npy", "u2_empty.npy", npy(np.zeros((0, 3), dtype=np.uint16)))
    out("npy", "b1_2x2.npy", npy(np.array([[True, False], [False, True]])))
    out("npy", "i8_1x1x2.npy", npy(np.array([[[7, -7]]], dtype=np.int64)))

    out("coco_json", "minimal.json",
        b'{"images": [{"id": 1, "file_name": "a.jpg", "width": 4, "height": 3}],'
        b' "annotations": [{"id": 5, "image_id": 1, "category_id": 2, "bbox": [0.5, 1, 2, 1.5], "area": 3,'
        b' "iscrowd": 0, "segmentation": [[0, 0, 1, 1, 2, 0]]},'
        b' {"id": 6, "image_id": 1, "category_id": 2, "bbox": [0, 0, 4, 3], "area": 12, "iscrowd": 1,'
        b' "ignore": 1, "segmentation": {"counts": [0, 12], "size": [3, 4]}}],'
        b' "categories": [{"id": 2, "name": "cat\\u00e9", "supercategory": "animal"}]}')

    # ir_xml: [u32 LE xml length][.xml][.bin]
    xml = open(os.path.join(ROOT, "tests/fixtures/ir/tiny_conv.xml"), "rb").read()
    binary = open(os.path.join(ROOT, "tests/fixtures/ir/tiny_conv.bin"), "rb").read()
    out("ir_xml", "tiny_conv", struct.pack("<I", len(xml)) + xml + binary)

    # ir_bin: f32[1,8] weights, i64[2] Reshape shape, i64[2] Tile repeats, f16 scale.
    weights = np.linspace(-1, 1, 8, dtype=np.float32).tobytes()
    half = np.array([0.5], dtype=np.float16).tobytes()
    out("ir_bin", "reshape_2x4", weights + struct.pack("<2q", 2, 4) + struct.pack("<2q", 1, 1) + half)
    out("ir_bin", "reshape_0x-1_tile", weights + struct.pack("<2q", 0, -1) + struct.pack("<2q", 3, 2) + half)


if __name__ == "__main__":
    main()
