#!/usr/bin/env python3
"""PNG plots of framealloc_mt_bench's JSON report (matplotlib, Debian's python3-matplotlib).

  perf/plots.py framealloc_mt_bench.json            # writes into docs/images/
  perf/plots.py report.json --out some/dir

Writes:
  mt_throughput.png     throughput against threads per contender: producer/consumer (64 B, mixed) and
                        larson: the median of the interleaved repetitions, shaded from the worst to
                        the best;
  mt_peak_rss.png       peak resident growth of the same runs (median of the repetitions);
  whole_frame_times.png the frame-time distribution of each backend (the frames of its repetition with
                        the lowest p99, the one least disturbed by other work on the machine);
  whole_frame_containers_times.png
                        the same for the whole frame with its per-frame data in std::pmr containers;
  cost_per_size.png     ns per allocate + deallocate pair against the request size, one thread.
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mt_report  # noqa: E402

STYLE = {"framealloc": dict(color="black", linewidth=2.5, marker="o")}


def style(contender):
    return STYLE.get(contender, dict(marker="."))


def threads_of(key):
    params = dict(key[2])
    return params.get("W", params.get("T"))


def throughput(table, out, field, ylabel, filename, scale):
    panels = [("producer_consumer", "64B", "producer/consumer, 64 B (W producers + W consumers)"),
              ("producer_consumer", "mixed", "producer/consumer, 16-256 B"),
              ("larson", "", "larson (T threads)")]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for ax, (group, variant, title) in zip(axes, panels):
        keys = sorted((k for k in table if k[0] == group and k[1] == variant), key=threads_of)
        for c in mt_report.contenders_of({k: table[k] for k in keys}):
            have = [k for k in keys if c in table[k] and field in table[k][c]]
            if not have:
                continue
            xs = [threads_of(k) for k in have]
            if field == "ops_per_second":  # the median, and the band from the worst to the best repetition
                line = ax.plot(xs, [table[k][c]["median_ops_per_second"] / scale for k in have], label=c, **style(c))
                ax.fill_between(xs, [table[k][c]["min_ops_per_second"] / scale for k in have],
                                [table[k][c]["ops_per_second"] / scale for k in have], color=line[0].get_color(),
                                alpha=0.12 if c == "framealloc" else 0.05)
            else:
                ax.plot(xs, [table[k][c][field] / scale for k in have], label=c, **style(c))
        ax.set_title(title)
        ax.set_xlabel("threads per side" if group == "producer_consumer" else "threads")
        ax.set_xticks([1, 2, 4])
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[-1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    fig.savefig(os.path.join(out, filename), dpi=90)
    plt.close(fig)


def frame_times(table, out, group):
    key = next((k for k in table if k[0] == group), None)
    if key is None:
        return
    row = table[key]
    names = [c for c in mt_report.contenders_of({key: row}) if row[c].get("samples")]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.violinplot([[s / 1000.0 for s in row[c]["samples"]] for c in names], showmedians=True, showextrema=False)
    for i, c in enumerate(names, start=1):
        ax.plot([i], [row[c]["p99_us"] / 1000.0], marker="_", color="red", markersize=20)
    ax.set_xticks(range(1, len(names) + 1), names)
    ax.set_yscale("log")
    ax.set_ylabel("frame time (ms, log scale); red: p99")
    ax.set_title(f"{group.replace('_', ' ')} ({mt_report.FRAME_GROUPS[group]}),\n"
                 "every frame of the least disturbed repetition")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{group}_times.png"), dpi=90)
    plt.close(fig)


def cost_per_size(table, out):
    keys = sorted((k for k in table if k[0] == "size_sweep"), key=lambda k: dict(k[2])["bytes"])
    if not keys:
        return
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for c in mt_report.contenders_of({k: table[k] for k in keys}):
        xs = [dict(k[2])["bytes"] for k in keys if c in table[k]]
        ys = [1e9 / table[k][c]["ops_per_second"] for k in keys if c in table[k]]
        ax.plot(xs, ys, label=c, **style(c))
    ax.set_xscale("log", base=2)
    ax.set_xlabel("request size (bytes)")
    ax.set_yscale("log")  # glibc's heap trimming at 4 KiB is two orders above the rest
    ax.set_ylabel("ns per allocate + deallocate (log scale)")
    ax.set_title("cost per allocation against size, one thread, batches of 64")
    ax.grid(alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    fig.savefig(os.path.join(out, "cost_per_size.png"), dpi=90)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json", help="a report written by framealloc_mt_bench --json")
    parser.add_argument("--out", default=os.path.join("docs", "images"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    import json

    with open(args.json) as f:
        table = mt_report.best_by_case(json.load(f))
    throughput(table, args.out, "ops_per_second", "M operations / s", "mt_throughput.png", 1e6)
    throughput(table, args.out, "peak_rss_growth", "peak resident growth (MiB)", "mt_peak_rss.png", 1024.0 * 1024.0)
    for group in mt_report.FRAME_GROUPS:
        frame_times(table, args.out, group)
    cost_per_size(table, args.out)
    print(f"plots written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
