#!/usr/bin/env python3
"""Writes random images in CIFAR-10's binary format, for runs without the real data set.

CIFAR-10 is not packaged in Debian. This writes test_batch.bin (and, with --train,
data_batch_1.bin .. data_batch_5.bin) into a directory: records of a label byte (0 to 9)
and 3072 pixel bytes (32 x 32 red, then green, then blue, each row-major), every byte drawn
from Python's Mersenne Twister seeded with --seed, so the same arguments write the same
bytes. The labels are random too: a run on these images measures cycles, energy and area,
never accuracy. `scbnn run -p dataset.format=cifar10 -p dataset.path=DIR` reads them
(docs/datasets.md).
"""
import argparse
import os
import random
import sys

RECORD_BYTES = 1 + 32 * 32 * 3
CLASSES = 10
TRAIN_BATCHES = 5


def batch(rng, images):
    """`images` records: a random label, then 3072 random pixel bytes."""
    out = bytearray()
    for _ in range(images):
        out.append(rng.randrange(CLASSES))
        out += rng.getrandbits(8 * (RECORD_BYTES - 1)).to_bytes(RECORD_BYTES - 1, "little")
    return bytes(out)


def count(text):
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text}: expected a positive number of images")
    return n


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("directory", help="where to write the batch files (created if missing)")
    p.add_argument("--images", type=count, default=100, help="images in test_batch.bin (default 100)")
    p.add_argument("--train", type=count, metavar="N",
                   help="also write data_batch_1.bin .. data_batch_5.bin, N images each")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    a = p.parse_args()
    if os.path.exists(a.directory) and not os.path.isdir(a.directory):
        sys.exit(f"{a.directory}: exists and is not a directory")
    os.makedirs(a.directory, exist_ok=True)
    rng = random.Random(a.seed)
    files = [("test_batch.bin", a.images)]
    if a.train:
        files += [(f"data_batch_{b}.bin", a.train) for b in range(1, TRAIN_BATCHES + 1)]
    for name, images in files:
        with open(os.path.join(a.directory, name), "wb") as f:
            f.write(batch(rng, images))
        print(f"{os.path.join(a.directory, name)}: {images} random CIFAR-10-format images (seed {a.seed})")


if __name__ == "__main__":
    main()
