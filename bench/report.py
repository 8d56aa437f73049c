"""Tables for ``docs/benchmarks.md`` from ``build/bench/results.json``.

python -m bench.report > build/bench/tables.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.run import OUT

PAIRS = (("synthkg-memory", "oxigraph-memory"), ("synthkg", "oxigraph"))


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}"


def render(results: dict) -> str:
    """Markdown tables: servers per size, then latency per query and size."""
    out: list[str] = []
    for size, entry in sorted(results.get("sizes", {}).items()):
        servers = entry.get("servers", {})
        kinds = list(servers)
        out.append(f"\n### {size}: {entry['triples']:,} triples, {entry['papers']:,} papers\n")
        out.append("| server | load s | start-up s | peak PSS MiB | mix req/s (c=8) "
                   "| point req/s (c=8) |")  # fmt: skip
        out.append("| --- | ---: | ---: | ---: | ---: | ---: |")
        for kind in kinds:
            s = servers[kind]
            mix = s.get("throughput_mix")
            mix_rate = f"{mix['per_second']:.1f}" if mix else "not all answered"
            out.append(
                f"| {kind} | {s['load_seconds']:.2f} | {s['start_seconds']:.2f} "
                f"| {s['peak_pss_bytes'] / 2**20:.0f} "
                f"| {mix_rate} "
                f"| {s['throughput_point']['per_second']:.0f} |"
            )
        out.append("\np50 / p99 latency in ms at concurrency 1 (point lookups marked *):\n")
        header = "| query | " + " | ".join(f"{k} p50 | p99" for k in kinds)
        ratios = [pair for pair in PAIRS if pair[0] in servers and pair[1] in servers]
        header += "".join(f" | {a}/{b}" for a, b in ratios)
        if "rdflib-endpoint" in servers and "synthkg-memory" in servers:
            header += " | rdflib-endpoint/synthkg-memory"
        out.append(header + " |")
        columns = 1 + 2 * len(kinds) + len(ratios) + (header.count("rdflib-endpoint/") > 0)
        out.append("| --- " + "| ---: " * (columns - 1) + "|")
        for name in servers[kinds[0]]["latency"]:
            cells = []
            for kind in kinds:
                timing = servers[kind]["latency"][name]
                cells += [_ms(timing["p50"]), _ms(timing["p99"])]
            for a, b in ratios:
                cells.append(_ratio(servers[a]["latency"][name]["p50"],
                                    servers[b]["latency"][name]["p50"]))  # fmt: skip
            if header.count("rdflib-endpoint/"):
                cells.append(_ratio(servers["rdflib-endpoint"]["latency"][name]["p50"],
                                    servers["synthkg-memory"]["latency"][name]["p50"]))  # fmt: skip
            star = "*" if servers[kinds[0]]["latency"][name]["point"] else ""
            out.append(f"| {name}{star} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT / "results.json"
    sys.stdout.write(render(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
