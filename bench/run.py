"""Run the benchmark: generate the graphs, start each server in turn, measure, record.

    python -m bench.run --sizes 1e4 1e5 --kinds synthkg synthkg-memory oxigraph \\
        oxigraph-memory rdflib-endpoint

Results are merged into ``build/bench/results.json`` (one record per size and server), from
which ``python -m bench.report`` writes the tables of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from dataclasses import asdict
from pathlib import Path

from bench.client import latency, paired_latency, throughput, warm_up
from bench.generate import generate
from bench.mix import query_mix
from bench.servers import CUTOFF_SECONDS, KINDS, CutOff, start

OUT = Path(__file__).resolve().parents[1] / "build" / "bench"


def size_name(triples: int) -> str:
    """``1e5`` for 100,000."""
    exponent = len(str(triples)) - 1
    return f"1e{exponent}" if triples == 10**exponent else str(triples)


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def measure(
    kind: str,
    home: Path,
    work: Path,
    seconds: float,
    runs: int,
    timeout: float,
    cutoff: float = CUTOFF_SECONDS,
    queries: bool = True,
    throughput_seconds: float = 10.0,
) -> dict[str, object]:
    """Everything measured for one server kind on one graph (only its start without
    ``queries``)."""
    mix = query_mix()
    try:
        # The server's own query deadline is the client's: a slow answer is measured.
        server = start(kind, home, work, limit=cutoff, query_timeout=f"{timeout:g}")
    except CutOff as stopped:
        # Past the documented cut-off the cut-off itself is the result.
        return {"kind": kind, "cut_off": str(stopped), "cutoff_seconds": cutoff}
    try:
        record: dict[str, object] = {
            "kind": kind,
            "load_seconds": server.load_seconds,
            "start_seconds": server.start_seconds,
        }
        if not queries:
            return record
        # Every kind alike: idle after start-up, then one unmeasured pass of the whole mix.
        record["settle_seconds"] = server.settle()
        record["warmup_seconds"] = warm_up(server.url, mix, timeout)
        per_query = {}
        for query in mix:
            per_query[query.name] = asdict(latency(server.url, query, runs, seconds, timeout)) | {
                "point": query.point
            }
        record["latency"] = per_query
        if server.virtuoso is not None and kind != "virtuoso":
            # The relay and Virtuoso's own endpoint, asked in turn on this one instance.
            paired = {}
            for query in mix:
                relay, direct = paired_latency(
                    (server.url, server.virtuoso.query), query, runs, seconds, timeout
                )
                paired[query.name] = {"relay": asdict(relay), "direct": asdict(direct)}
            record["paired_with_virtuoso"] = paired
        if any(str(t["note"]).startswith("no answer") for t in per_query.values()):
            # A server may still be working on (or stopping) a query its client gave up
            # on: throughput is measured once that work is over, not queued behind it.
            time.sleep(timeout + 5)
        answered = [q for q in mix if per_query[q.name]["status"] == 200]
        record["throughput_seconds"] = throughput_seconds
        record["mix_size"] = len(mix)
        record["mix_answered"] = len(answered)
        if len(answered) == len(mix):
            record["throughput_mix"] = asdict(
                throughput(server.url, mix, max_seconds=throughput_seconds, timeout=timeout)
            )
        points = [q for q in mix if q.point]
        record["throughput_point"] = asdict(
            throughput(server.url, points, max_seconds=throughput_seconds, timeout=timeout)
        )
    finally:
        record["peak_pss_bytes"] = server.stop()
    return record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the SynthKG benchmark.")
    parser.add_argument("--sizes", nargs="+", default=["1e4", "1e5"])
    parser.add_argument("--kinds", nargs="+", default=list(KINDS[:5]), choices=KINDS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=5.0, help="latency budget per query")
    parser.add_argument("--runs", type=int, default=30, help="latency runs per query (max)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per request")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--throughput-seconds",
        type=float,
        default=10.0,
        help="how long 8 clients send queries (at most 4,000 requests); longer where the "
        "mix's queries take seconds, so that the count is not a handful",
    )
    parser.add_argument(
        "--startup-only", action="store_true", help="measure load, start-up and memory only"
    )
    parser.add_argument(
        "--cutoff", type=float, default=CUTOFF_SECONDS, help="seconds a server may take to load"
    )
    args = parser.parse_args(argv)
    results_file = args.out / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    results["machine"] = machine()
    for size in args.sizes:
        triples = int(float(size))
        name = size_name(triples)
        home = args.out / "data" / name
        began = time.perf_counter()
        counts = generate(triples, args.seed, home)
        print(f"{name}: generated {counts.triples} triples in {time.perf_counter() - began:.1f} s")
        entry = results.setdefault("sizes", {}).setdefault(name, {})
        entry["triples"] = counts.triples
        entry["papers"] = counts.papers
        for kind in args.kinds:
            print(f"{name}: {kind} ...", flush=True)
            record = measure(kind, home, args.out / "work" / name, args.seconds, args.runs,
                             args.timeout, args.cutoff, not args.startup_only,
                             args.throughput_seconds)  # fmt: skip
            record["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
            record["load_average"] = os.getloadavg()[0]
            entry.setdefault("startup" if args.startup_only else "servers", {})[kind] = record
            results_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = results_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(results, indent=1, sort_keys=True))
            os.replace(tmp, results_file)
            if "cut_off" in record:
                print(f"{name}: {kind}: cut off: {record['cut_off']}", flush=True)
                continue
            print(
                f"{name}: {kind}: load {record['load_seconds']:.2f} s, "
                f"start {record['start_seconds']:.2f} s, "
                f"peak {record['peak_pss_bytes'] / 2**20:.0f} MiB",
                flush=True,
            )


if __name__ == "__main__":
    main()
