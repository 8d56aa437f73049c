"""How long the reader pages take on a generated graph of a given number of papers.

Each page is asked for once cold (its data-version cache empty) and then a few times warm;
the first figure is the one a visitor meets after a data change.

    python -m bench.pages --papers 100000 --seed 1
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.generate import generate
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
from synthkg.web import create_app

TRIPLES_PER_PAPER = 35  # the generator's proportion (bench/generate.py)
WARM_RUNS = 3


def page_paths(papers: int) -> list[str]:
    last = max(1, -(-papers // 50))
    return [
        "/",
        "/taxonomy",
        "/taxonomy/Application",
        "/taxonomy/FederatedLearning",
        f"/taxonomy/Application?page={last // 2}&sort=title",
        "/analysis",
        "/search?q=synthetic+data",
        "/search?q=2401.00001",
        "/search.json?q=diffusion",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        started = time.perf_counter()
        counts = generate(args.papers * TRIPLES_PER_PAPER, args.seed, home)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        store = memory_store(
            {
                ONTOLOGY_GRAPH: [home / "ontology" / "synthkg.ttl"],
                DATA_GRAPH: sorted((home / "data").glob("*.ttl")),
            }
        )
        loaded = time.perf_counter() - started
        app = create_app({"TESTING": True, "SYNTHKG_QUERY_PROCESSES": 1}, store=store)
        client = app.test_client()
        print(f"papers: {counts.papers}  triples: {len(store)}")
        print(f"generated in {generated:.1f} s, loaded in {loaded:.1f} s")
        print(f"{'page':<48} {'status':>6} {'cold ms':>9} {'warm ms':>9}")
        for path in page_paths(counts.papers):
            started = time.perf_counter()
            status = client.get(path).status_code
            cold = (time.perf_counter() - started) * 1000
            warm = []
            for _ in range(WARM_RUNS):
                started = time.perf_counter()
                client.get(path)
                warm.append((time.perf_counter() - started) * 1000)
            print(f"{path:<48} {status:>6} {cold:>9.0f} {statistics.median(warm):>9.0f}")


if __name__ == "__main__":
    main()
