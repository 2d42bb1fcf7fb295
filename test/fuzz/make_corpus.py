#!/usr/bin/env python3
"""Writes the hand-made seed inputs of alloc_fuzz into test/fuzz/corpus/ (see alloc_fuzz.cpp for the
format). Run it again after changing the format; the seeds are tiny and checked in."""
import pathlib

FRAME, POOL = 0x00, 0x80
# size modes (flags bits 4-6)
TINY, SMALL, K4, POOLED, AROUND8K, CLASS, ANY, CHUNK = range(8)


def flags(res, mode, align_log2):
    return res | (mode << 4) | align_log2


def alloc(res, mode, align_log2, v, api=0):
    op = {0: 0, 1: 3, 2: 4}[api]
    return bytes([op, flags(res, mode, align_log2), v & 0xFF, v >> 8])


def burst(res, mode, align_log2, v, count, on_helper=False):
    return bytes([5, flags(res, mode, align_log2), v & 0xFF, v >> 8, (count - 1) | (0x80 if on_helper else 0)])


def dealloc(index, inline=False):
    return bytes([7 if inline else 6, index])


def free_newest(count):
    return bytes([8, count - 1])


END_FRAME = bytes([9])


def helper_free(index):
    return bytes([10, index & 0x7F])


def helper_free_newest(count):
    return bytes([10, 0x80 | (count - 1)])


def helper_alloc(res, mode, align_log2, v):
    return bytes([11, flags(res, mode, align_log2), v & 0xFF, v >> 8])


HELPER_EXIT = bytes([12])


def rewrite(index):
    return bytes([13, index])


def maintenance(flush=False, keep_nothing=False, on_helper=False):
    return bytes([14, (1 if flush else 0) | (2 if keep_nothing else 0) | (4 if on_helper else 0)])


# Hostile frees (op 14 with param bit 7): 0 interior, 1 oversize size, 2 bad alignment, 3 foreign, 4 nullptr.
INTERIOR, OVERSIZE, BAD_ALIGN, FOREIGN, NULL = range(5)


def hostile(kind, low=0):
    return bytes([14, 0x80 | (kind << 4) | (low & 15)])


SEEDS = {
    # Default-ish options: pool sizes across the classes, frees in both orders, then the frame.
    "pool_basic": bytes([0x00])
    + alloc(POOL, SMALL, 3, 24) + alloc(POOL, SMALL, 4, 100) + alloc(POOL, K4, 6, 1000, api=1)
    + alloc(POOL, CLASS, 0, 0x0105) + dealloc(1) + alloc(POOL, SMALL, 3, 24) + dealloc(0, inline=True)
    + rewrite(1) + free_newest(8),
    # Small frame chunks (256 B, growth 1, nothing retained): chunk changes, large blocks, big alignments.
    "frame_chunks": bytes([0x00 | 0x04 | 0x10])
    + alloc(FRAME, TINY, 0, 0) + alloc(FRAME, SMALL, 3, 150) + alloc(FRAME, CHUNK, 6, 4)
    + alloc(FRAME, K4, 12, 3000, api=1) + alloc(FRAME, ANY, 13, 20000) + dealloc(1) + END_FRAME
    + alloc(FRAME, SMALL, 4, 200, api=2) + END_FRAME,
    # Oversize and over-aligned pool requests: the heap fallback and the aligned classes.
    "pool_heap": bytes([0x00])
    + alloc(POOL, AROUND8K, 0, 16) + alloc(POOL, AROUND8K, 0, 17) + alloc(POOL, ANY, 13, 12000)
    + alloc(POOL, POOLED, 13, 5000) + alloc(POOL, SMALL, 5, 33) + alloc(POOL, TINY, 0, 0)
    + dealloc(2) + dealloc(0) + free_newest(4),
    # Producer/consumer: the driver allocates, the helper frees (its cache overflows to the depot),
    # the driver reallocates from the depot; the helper allocates frame memory, exits, frame ends.
    "cross_thread": bytes([0x80 | 0x20])
    + burst(POOL, SMALL, 3, 64, 32) + helper_free_newest(32) + burst(POOL, SMALL, 3, 64, 32)
    + helper_alloc(FRAME, SMALL, 4, 77) + helper_alloc(POOL, K4, 3, 700) + helper_free(3) + HELPER_EXIT
    + maintenance(keep_nothing=True) + END_FRAME + burst(FRAME, SMALL, 3, 90, 4, on_helper=True)
    + free_newest(64) + END_FRAME,
    # Slab compaction with nothing kept: fill a class, free everything, release empty slabs.
    "compaction": bytes([0x80 | 0x20 | 0x02])
    + burst(POOL, K4, 3, 4096, 32) + burst(POOL, K4, 3, 4096, 32) + free_newest(64)
    + maintenance(flush=True) + maintenance(keep_nothing=True) + burst(POOL, K4, 3, 4096, 8)
    + maintenance(flush=True, on_helper=True),
    # Every hostile free against live pooled and heap-fallback blocks; the blocks stay whole and are
    # freed normally afterwards.
    "hostile_frees": bytes([0x00])
    + alloc(POOL, SMALL, 3, 64) + alloc(POOL, K4, 4, 3000) + alloc(POOL, ANY, 0, 12000)
    + hostile(INTERIOR, 5) + hostile(INTERIOR, 1) + hostile(OVERSIZE, 2) + hostile(BAD_ALIGN, 0)
    + hostile(BAD_ALIGN, 3) + hostile(FOREIGN, 0) + hostile(FOREIGN, 5) + hostile(NULL)
    + dealloc(0) + free_newest(4),
}


def main():
    out = pathlib.Path(__file__).resolve().parent / "corpus"
    out.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (out / name).write_bytes(data)
        print(f"{out / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
