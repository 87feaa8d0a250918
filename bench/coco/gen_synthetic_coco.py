#!/usr/bin/python3
"""Synthetic COCO instances json with the size and shape of instances_train2017.json.

The real file (448 MB: 118,287 images, 860,001 annotations with polygon segmentations) is
not redistributable in the repository; this writes one with the same counts, key order,
separators and roughly the same byte size, so get-annotations can be timed without it.

  gen_synthetic_coco.py --instances instances_synth.json --list 500 --list-out cali.txt

Deterministic for a given --seed. Standard library only.
"""

import argparse
import random
import sys

N_IMAGES = 118287
N_ANNOTATIONS = 860001
CROWD_FRACTION = 0.01
# Mean number of polygon coordinates per annotation; tuned so the file is ~448 MB.
MEAN_COORDS = 34

# COCO's 80 categories with their real, non-contiguous ids (1..90).
CATEGORIES = [
    ("person", 1, "person"), ("vehicle", 2, "bicycle"), ("vehicle", 3, "car"),
    ("vehicle", 4, "motorcycle"), ("vehicle", 5, "airplane"), ("vehicle", 6, "bus"),
    ("vehicle", 7, "train"), ("vehicle", 8, "truck"), ("vehicle", 9, "boat"),
    ("outdoor", 10, "traffic light"), ("outdoor", 11, "fire hydrant"), ("outdoor", 13, "stop sign"),
    ("outdoor", 14, "parking meter"), ("outdoor", 15, "bench"), ("animal", 16, "bird"),
    ("animal", 17, "cat"), ("animal", 18, "dog"), ("animal", 19, "horse"), ("animal", 20, "sheep"),
    ("animal", 21, "cow"), ("animal", 22, "elephant"), ("animal", 23, "bear"), ("animal", 24, "zebra"),
    ("animal", 25, "giraffe"), ("accessory", 27, "backpack"), ("accessory", 28, "umbrella"),
    ("accessory", 31, "handbag"), ("accessory", 32, "tie"), ("accessory", 33, "suitcase"),
    ("sports", 34, "frisbee"), ("sports", 35, "skis"), ("sports", 36, "snowboard"),
    ("sports", 37, "sports ball"), ("sports", 38, "kite"), ("sports", 39, "baseball bat"),
    ("sports", 40, "baseball glove"), ("sports", 41, "skateboard"), ("sports", 42, "surfboard"),
    ("sports", 43, "tennis racket"), ("kitchen", 44, "bottle"), ("kitchen", 46, "wine glass"),
    ("kitchen", 47, "cup"), ("kitchen", 48, "fork"), ("kitchen", 49, "knife"), ("kitchen", 50, "spoon"),
    ("kitchen", 51, "bowl"), ("food", 52, "banana"), ("food", 53, "apple"), ("food", 54, "sandwich"),
    ("food", 55, "orange"), ("food", 56, "broccoli"), ("food", 57, "carrot"), ("food", 58, "hot dog"),
    ("food", 59, "pizza"), ("food", 60, "donut"), ("food", 61, "cake"), ("furniture", 62, "chair"),
    ("furniture", 63, "couch"), ("furniture", 64, "potted plant"), ("furniture", 65, "bed"),
    ("furniture", 67, "dining table"), ("furniture", 70, "toilet"), ("electronic", 72, "tv"),
    ("electronic", 73, "laptop"), ("electronic", 74, "mouse"), ("electronic", 75, "remote"),
    ("electronic", 76, "keyboard"), ("electronic", 77, "cell phone"), ("appliance", 78, "microwave"),
    ("appliance", 79, "oven"), ("appliance", 80, "toaster"), ("appliance", 81, "sink"),
    ("appliance", 82, "refrigerator"), ("indoor", 84, "book"), ("indoor", 85, "clock"),
    ("indoor", 86, "vase"), ("indoor", 87, "scissors"), ("indoor", 88, "teddy bear"),
    ("indoor", 89, "hair drier"), ("indoor", 90, "toothbrush"),
]

LICENSES = [
    (1, "Attribution-NonCommercial-ShareAlike License", "http://creativecommons.org/licenses/by-nc-sa/2.0/"),
    (2, "Attribution-NonCommercial License", "http://creativecommons.org/licenses/by-nc/2.0/"),
    (3, "Attribution-NonCommercial-NoDerivs License", "http://creativecommons.org/licenses/by-nc-nd/2.0/"),
    (4, "Attribution License", "http://creativecommons.org/licenses/by/2.0/"),
    (5, "Attribution-ShareAlike License", "http://creativecommons.org/licenses/by-sa/2.0/"),
    (6, "Attribution-NoDerivs License", "http://creativecommons.org/licenses/by-nd/2.0/"),
    (7, "No known copyright restrictions", "http://flickr.com/commons/usage/"),
    (8, "United States Government Work", "http://www.usa.gov/copyright.shtml"),
]


def make_images(rng):
    """(id, height, width, json text) per image, in file order (not sorted, like the real file)."""
    ids = rng.sample(range(9, 581930), N_IMAGES)
    images = []
    for image_id in ids:
        h, w = rng.choice((480, 427, 640, 375, 500, 333)), rng.choice((640, 480, 500, 427))
        name = "%012d.jpg" % image_id
        text = ('{"license": %d,"file_name": "%s","coco_url": "http://images.cocodataset.org/train2017/%s",'
                '"height": %d,"width": %d,"date_captured": "2013-%02d-%02d %02d:%02d:%02d",'
                '"flickr_url": "http://farm%d.staticflickr.com/%d/%d_%010x_z.jpg","id": %d}' %
                (rng.randint(1, 8), name, name, h, w, rng.randint(1, 12), rng.randint(1, 28),
                 rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(1, 9),
                 rng.randint(1000, 9999), rng.randint(10**9, 10**10 - 1), rng.getrandbits(40), image_id))
        images.append((image_id, h, w, text))
    return images


def coord(v):
    return "%d.%02d" % divmod(v, 100)


def write_annotation(out, rng, ann_id, image):
    image_id, h, w, _ = image
    x, y = rng.randrange(w * 60), rng.randrange(h * 60)
    bw, bh = rng.randrange(100, w * 100 - x), rng.randrange(100, h * 100 - y)
    if rng.random() < CROWD_FRACTION:
        # Crowd regions are RLE: run lengths over the column-major mask, summing to h*w.
        runs, left = [], h * w
        while left > 0 and len(runs) < 400:
            r = min(left, rng.randrange(1, 2000))
            runs.append(r)
            left -= r
        if left:
            runs.append(left)
        seg = '{"counts": [%s],"size": [%d,%d]}' % (",".join(map(str, runs)), h, w)
        crowd = 1
    else:
        polys = []
        for _ in range(rng.choice((1, 1, 1, 1, 2, 2, 3))):
            n = max(6, int(rng.expovariate(1.0 / MEAN_COORDS)) // 2 * 2)
            polys.append("[" + ",".join(coord(rng.randrange(64000)) for _ in range(n)) + "]")
        seg = "[" + ",".join(polys) + "]"
        crowd = 0
    out.write('{"segmentation": %s,"area": %d.%04d,"iscrowd": %d,"image_id": %d,"bbox": [%s,%s,%s,%s],'
              '"category_id": %d,"id": %d}' %
              (seg, rng.randrange(1, 200000), rng.randrange(10000), crowd, image_id, coord(x), coord(y),
               coord(bw), coord(bh), rng.choice(CATEGORIES)[1], ann_id))


def write_instances(path, rng, images):
    with open(path, "w", encoding="utf-8", buffering=1 << 22) as out:
        out.write('{"info": {"description": "COCO 2017 Dataset (synthetic)","url": "http://cocodataset.org",'
                  '"version": "1.0","year": 2017,"contributor": "COCO Consortium",'
                  '"date_created": "2017/09/01"},')
        out.write('"licenses": [' + ",".join('{"url": "%s","id": %d,"name": "%s"}' % (u, i, n)
                                               for i, n, u in LICENSES) + "],")
        out.write('"images": [' + ",".join(img[3] for img in images) + "],")
        out.write('"annotations": [')
        ann_id = 0
        for k in range(N_ANNOTATIONS):
            if k:
                out.write(",")
            ann_id += rng.randint(1, 3)
            write_annotation(out, rng, ann_id, images[rng.randrange(len(images))])
        out.write("],")
        out.write('"categories": [' + ",".join('{"supercategory": "%s","id": %d,"name": "%s"}' % c
                                                 for c in CATEGORIES) + "]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", help="instances json to write (omit to write only the list)")
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--list", type=int, default=0, metavar="N", help="also write a list of N file names")
    ap.add_argument("--list-out", help="where to write the list")
    ap.add_argument("--prefixed", type=float, default=0.0, metavar="FRACTION",
                    help="fraction of list entries written as train2017/<name>")
    args = ap.parse_args()
    if args.list and not args.list_out:
        ap.error("--list needs --list-out")
    if not args.instances and not args.list:
        ap.error("nothing to do: give --instances and/or --list N")
    images = make_images(random.Random(args.seed))
    if args.instances:
        write_instances(args.instances, random.Random(args.seed + 1), images)
    if args.list:
        rng = random.Random(args.seed + 2)
        with open(args.list_out, "w", encoding="utf-8") as out:
            for img in rng.sample(images, args.list):
                name = "%012d.jpg" % img[0]
                out.write(("train2017/" + name if rng.random() < args.prefixed else name) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
