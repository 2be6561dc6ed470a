#!/usr/bin/env python3
"""Renders async-profiler's collapsed stacks as a small static SVG flame graph, rooted at one frame.

    benchmarks/flamegraph.py collapsed.csv ROOT_FRAME_SUFFIX "title" > out.svg

Only stacks that pass through a frame ending in ROOT_FRAME_SUFFIX count (e.g. the benchmark's timed loop,
"FirstSeenBenchmark.validate"), drawn from that frame up; widths are shares of those samples. Colours: tokenward's
own code green, Caffeine purple, the JDK's crypto orange, everything else grey. Made for docs/: no script, no
interaction, readable on GitHub.
"""
import html
import sys


def main():
    path, root, title = sys.argv[1], sys.argv[2], sys.argv[3]
    tree = {"n": 0, "c": {}}
    for line in open(path, encoding="utf-8"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        frames = stack.split(";")
        at = next((i for i, f in enumerate(frames) if f.endswith(root)), None)
        if at is None:
            continue
        n = int(count)
        node = tree
        node["n"] += n
        for f in frames[at:]:
            name = f.replace("/", ".")
            node = node["c"].setdefault(name, {"n": 0, "c": {}})
            node["n"] += n
    total = tree["n"]
    width, row = 1200, 17
    rects = []

    def walk(node, name, x, depth):
        w = node["n"] / total * width
        if w < 0.3:
            return
        rects.append((x, depth, w, name, node["n"]))
        cx = x
        for child_name, child in sorted(node["c"].items(), key=lambda kv: -kv[1]["n"]):
            walk(child, child_name, cx, depth + 1)
            cx += child["n"] / total * width

    (only_name, only), = tree["c"].items() if len(tree["c"]) == 1 else (("all", tree),)
    walk(only, only_name, 0, 0)
    depth = max(d for _, d, _, _, _ in rects) + 1
    height = depth * row + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" '
           f'font-size="11">', f'<rect width="{width}" height="{height}" fill="#fafafa"/>',
           f'<text x="4" y="16" font-size="13">{html.escape(title)} ({total} samples)</text>']
    for x, d, w, name, n in rects:
        y = height - (d + 1) * row - 4
        colour = ("#7fc97f" if "dev.tokenward.core" in name else "#beaed4" if "benmanes" in name
                  else "#fdc086" if ("sun.security" in name or "java.security" in name or "BigInteger" in name)
                  else "#d9d9d9")
        short = name.split("(")[0]
        short = ".".join(short.split(".")[-2:])
        label = f"{short} {100 * n / total:.1f}%"
        out.append(f'<g><title>{html.escape(name)}: {n} samples, {100 * n / total:.1f}%</title>'
                   f'<rect x="{x:.1f}" y="{y}" width="{max(w - 0.5, 0.1):.1f}" height="{row - 1}" fill="{colour}"/>')
        chars = int(w / 6.6)
        if chars >= 4:
            out.append(f'<text x="{x + 2:.1f}" y="{y + 12}">{html.escape(label[:chars])}</text>')
        out.append('</g>')
    out.append('</svg>')
    print("\n".join(out))


if __name__ == "__main__":
    main()
