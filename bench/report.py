"""Tables for ``docs/benchmarks.md`` from ``build/bench/results.json``.

python -m bench.report > build/bench/tables.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.run import OUT

# (numerator, denominator) of the latency ratios shown, when both were measured.
PAIRS = (
    ("synthkg-memory", "oxigraph-memory"),
    ("synthkg", "oxigraph"),
    ("synthkg-virtuoso", "virtuoso"),
    ("synthkg-virtuoso-union", "virtuoso"),
    ("rdflib-endpoint", "synthkg-memory"),
)
# The servers whose latency the growth tables follow across sizes.
GROWTH_KINDS = ("synthkg-memory", "synthkg", "oxigraph")


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}"


def _size_key(item: tuple[str, dict]) -> int:
    return int(item[1].get("triples", 0))


def _servers(entry: dict) -> tuple[dict, dict]:
    servers = entry.get("servers", {})
    measured = {k: v for k, v in servers.items() if "cut_off" not in v}
    return measured, {k: v for k, v in servers.items() if "cut_off" in v}


def _mix_sum(server: dict, only: set[str] | None = None) -> float | None:
    """The p50s of the whole mix (or of the queries ``only``) added up: one figure for
    "latency on the mix"."""
    values = [t["p50"] for n, t in server["latency"].items() if only is None or n in only]
    return None if any(v is None for v in values) else sum(values)


def _answered_by_all(servers: dict[str, dict]) -> set[str]:
    """The queries every server of a size answered (a fair sum where some timed out)."""
    names: set[str] | None = None
    for server in servers.values():
        answered = {n for n, t in server.get("latency", {}).items() if t["p50"] is not None}
        names = answered if names is None else names & answered
    return names or set()


def render(results: dict) -> str:
    """Markdown tables: servers per size, latency per query, then growth across sizes."""
    out: list[str] = []
    for size, entry in sorted(results.get("sizes", {}).items(), key=_size_key):
        servers, cut = _servers(entry)
        kinds = list(servers)
        out.append(f"\n### {size}: {entry['triples']:,} triples, {entry['papers']:,} papers\n")
        common = _answered_by_all(servers)
        out.append("| server | load s | start-up s | peak PSS MiB | mix p50 sum ms "
                   f"| p50 sum of the {len(common)} queries all answered ms "
                   "| mix req/s (c=8) | point req/s (c=8) | load avg |")  # fmt: skip
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for kind in kinds:
            s = servers[kind]
            mix = s.get("throughput_mix")
            mix_rate = f"{mix['per_second']:.1f}" if mix else "not all answered"
            load_avg = s.get("load_average")
            out.append(
                f"| {kind} | {s['load_seconds']:.2f} | {s['start_seconds']:.2f} "
                f"| {s['peak_pss_bytes'] / 2**20:.0f} | {_ms(_mix_sum(s))} "
                f"| {_ms(_mix_sum(s, common))} | {mix_rate} "
                f"| {s['throughput_point']['per_second']:.0f} "
                f"| {'-' if load_avg is None else f'{load_avg:.1f}'} |"
            )
        for kind, s in cut.items():
            out.append(f"| {kind} | cut off: {s['cut_off']} | | | | | | | |")
        for kind, s in entry.get("startup", {}).items():
            if "cut_off" in s:
                out.append(f"| {kind} (start only) | cut off: {s['cut_off']} | | | | | | | |")
                continue
            out.append(
                f"| {kind} (start only) | {s['load_seconds']:.2f} | {s['start_seconds']:.2f} "
                f"| {s['peak_pss_bytes'] / 2**20:.0f} | - | - | - | - "
                f"| {s.get('load_average', 0):.1f} |"
            )
        if not kinds:
            continue
        ratios = [pair for pair in PAIRS if pair[0] in servers and pair[1] in servers]
        out.append("\np50 / p99 latency in ms at concurrency 1 (point lookups marked *):\n")
        header = "| query | " + " | ".join(f"{k} p50 | p99" for k in kinds)
        header += "".join(f" | {a}/{b}" for a, b in ratios)
        out.append(header + " |")
        columns = 1 + 2 * len(kinds) + len(ratios)
        out.append("| --- " + "| ---: " * (columns - 1) + "|")
        for name in servers[kinds[0]]["latency"]:
            cells = []
            for kind in kinds:
                timing = servers[kind]["latency"].get(name, {})
                cells += [_ms(timing.get("p50")), _ms(timing.get("p99"))]
            for a, b in ratios:
                cells.append(_ratio(servers[a]["latency"].get(name, {}).get("p50"),
                                    servers[b]["latency"].get(name, {}).get("p50")))  # fmt: skip
            star = "*" if servers[kinds[0]]["latency"][name]["point"] else ""
            out.append(f"| {name}{star} | " + " | ".join(cells) + " |")
        out.extend(paired_tables(servers))
    out.append(growth(results))
    return "\n".join(out) + "\n"


def paired_tables(servers: dict[str, dict]) -> list[str]:
    """For each relay measured in turn with Virtuoso: p50 per query and the mix's ratio."""
    out: list[str] = []
    for kind, server in servers.items():
        paired = server.get("paired_with_virtuoso")
        if not paired:
            continue
        both = {n: t for n, t in paired.items() if t["relay"]["p50"] and t["direct"]["p50"]}
        relay = sum(t["relay"]["p50"] for t in both.values())
        direct = sum(t["direct"]["p50"] for t in both.values())
        out.append(
            f"\n{kind} and Virtuoso's own endpoint asked in turn, on one instance: "
            f"p50 sums {_ms(relay)} against {_ms(direct)} ms over {len(both)} queries, "
            f"ratio {_ratio(relay, direct)}\n"
        )
        out.append(f"| query | {kind} p50 | virtuoso p50 | ratio | answer KiB |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
        for name, timing in paired.items():
            a, b = timing["relay"]["p50"], timing["direct"]["p50"]
            size = timing["relay"]["size"] / 1024
            out.append(f"| {name} | {_ms(a)} | {_ms(b)} | {_ratio(a, b)} | {size:.1f} |")
    return out


def growth(results: dict) -> str:
    """p50 and answer size per query across the sizes, for the default server kinds."""
    sizes = sorted(results.get("sizes", {}).items(), key=_size_key)
    lines: list[str] = []
    for kind in GROWTH_KINDS:
        have = [
            (name, entry["servers"][kind])
            for name, entry in sizes
            if "cut_off" not in entry.get("servers", {}).get(kind, {"cut_off": True})
        ]
        if len(have) < 2:
            continue
        lines.append(f"\n### Growth across sizes: {kind} (p50 ms / answer KiB)\n")
        lines.append("| query | " + " | ".join(name for name, _ in have) + " |")
        lines.append("| --- " + "| ---: " * len(have) + "|")
        for query in have[0][1]["latency"]:
            cells = []
            for _, server in have:
                timing = server["latency"].get(query)
                if not timing or timing["p50"] is None:
                    cells.append("-")
                else:
                    cells.append(f"{timing['p50'] * 1000:.1f} / {timing['size'] / 1024:.1f}")
            lines.append(f"| {query} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT / "results.json"
    sys.stdout.write(render(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
