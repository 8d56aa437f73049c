"""Scholarly graphs shaped like SynthKG's, of any size, deterministic from a seed.

Papers, venues, identifiers, category links into the real taxonomy of the ontology, source
rows and qualified classifications, in the proportions of the curated graph (about 35
triples per paper). The output is a project home that ``SYNTHKG_HOME`` can point at
(``ontology/synthkg.ttl`` copied, ``data/*.ttl`` written as N-Triples lines, which are
valid Turtle) and ``dataset.nq``, the same graph as N-Quads for the other servers.

    python -m bench.generate --triples 100000 --seed 1 --out build/bench/data/1e5
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from synthkg import paths
from synthkg.namespaces import BASE, PREFIXES
from synthkg.taxonomy import APPLICATION_ROOT, CHALLENGE_ROOT, METHOD_ROOT, load_taxonomy

SKG, RDF, XSD = PREFIXES["skg"], PREFIXES["rdf"], PREFIXES["xsd"]
DCT, FABIO, PROV, SCHEMA = (
    PREFIXES["dcterms"],
    PREFIXES["fabio"],
    PREFIXES["prov"],
    PREFIXES["schema"],
)
RDFS, SKOS = PREFIXES["rdfs"], PREFIXES["skos"]
DATA_GRAPH, ONTOLOGY_GRAPH = BASE + "graph/data", BASE + "graph/ontology"
LIST = BASE + "source/bench-list"
DOCUMENT = LIST + "/000000000000"
# The paper every neighbourhood and DESCRIBE query of the mix asks about.
ANCHOR_ARXIV = "2401.00001"

_VOCABULARY = (
    "synthetic data generation diffusion language model reasoning instruction tuning "
    "privacy federated distillation augmentation simulation benchmark evaluation agents "
    "robot policy vision graph tabular code preference alignment self-play curriculum "
    "inversion latent adversarial robust fairness watermark unlearning sensor trajectory"
)
WORDS = tuple(_VOCABULARY.split(" "))


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"^^<{datatype}>' if datatype else f'"{text}"'


@dataclass(frozen=True)
class Counts:
    """What a generated graph holds."""

    papers: int
    venues: int
    data_triples: int
    ontology_triples: int

    @property
    def triples(self) -> int:
        return self.data_triples + self.ontology_triples


def _leaves(root: object) -> list[str]:
    taxonomy = load_taxonomy()
    below = [c for c in taxonomy.categories if root in taxonomy.ancestors(c)]
    return sorted(str(c) for c in below if not taxonomy.children(c))


def _ontology_lines() -> list[str]:
    import pyoxigraph as ox

    # Blank nodes get labels by order of appearance: the parser's own labels are random.
    labels: dict[ox.BlankNode, str] = {}

    def term(node: object) -> str:
        if isinstance(node, ox.BlankNode):
            return labels.setdefault(node, f"_:o{len(labels)}")
        return str(node)

    triples = ox.parse(path=str(paths.ONTOLOGY_TTL), format=ox.RdfFormat.TURTLE)
    return [f"{term(t.subject)} {t.predicate} {term(t.object)} ." for t in triples]


def _venues(rng: random.Random, count: int) -> Iterator[tuple[str, list[str]]]:
    kinds = ("Conference", "Journal")
    for number in range(count):
        iri = f"{BASE}venue/bench-{number:04d}"
        name = f"Venue {number}"
        yield (
            iri,
            [
                f"{_iri(iri)} {_iri(RDF + 'type')} {_iri(SKG + 'Venue')} .",
                f"{_iri(iri)} {_iri(RDF + 'type')} {_iri(SKG + rng.choice(kinds))} .",
                f"{_iri(iri)} {_iri(RDFS + 'label')} {_lit(f'V{number}')} .",
                f'{_iri(iri)} {_iri(SKOS + "prefLabel")} "{name}"@en .',
            ],
        )


def _paper(rng: random.Random, number: int, venues: list[str], cats: dict[str, list[str]]):
    """The paper's triples (data) and its provenance triples."""
    year = 2015 + rng.randrange(11)
    arxiv = number == 0 or rng.random() < 0.7
    if number == 0:
        ident = ANCHOR_ARXIV
    else:
        ident = f"{year % 100:02d}{rng.randrange(1, 13):02d}.{number:05d}"
    if arxiv:
        iri = f"{BASE}paper/arxiv-{ident}"
        venue, link = f"{BASE}venue/arxiv", f"https://arxiv.org/abs/{ident}"
    else:
        doi = f"10.5555/bench.{number}"
        iri = f"{BASE}paper/doi-{doi.replace('/', '_')}"
        venue, link = rng.choice(venues), f"https://doi.org/{doi}"
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 11))).capitalize()
    row = f"{DOCUMENT}/L{number + 10}"
    p = _iri(iri)
    data = [
        f"{p} {_iri(RDF + 'type')} {_iri(SKG + 'Paper')} .",
        f"{p} {_iri(DCT + 'title')} {_lit(title)} .",
        f"{p} {_iri(FABIO + 'hasPublicationYear')} {_lit(str(year), XSD + 'gYear')} .",
        f"{p} {_iri(SKG + 'publishedIn')} {_iri(venue)} .",
        f"{p} {_iri(SCHEMA + 'sameAs')} {_iri(link)} .",
        f"{p} {_iri(PROV + 'wasDerivedFrom')} {_iri(row)} .",
    ]
    if arxiv:
        data.append(f"{p} {_iri(RDF + 'type')} {_iri(SKG + 'Preprint')} .")
        data.append(f"{p} {_iri(SKG + 'arxivId')} {_lit(ident)} .")
    else:
        data.append(f"{p} {_iri(SKG + 'doi')} {_lit(doi)} .")
    links = [("usesMethod", c) for c in rng.sample(cats["method"], rng.choice((1, 1, 2)))]
    links += [("hasApplication", c) for c in rng.sample(cats["application"], rng.choice((1, 2)))]
    if rng.random() < 0.1:
        links.append(("addressesChallenge", rng.choice(cats["challenge"])))
    r = _iri(row)
    section = links[0][1]
    prov = [
        f"{r} {_iri(RDF + 'type')} {_iri(SKG + 'SourceRow')} .",
        f"{r} {_iri(RDF + 'type')} {_iri(PROV + 'Entity')} .",
        f"{r} {_iri(DCT + 'isPartOf')} {_iri(DOCUMENT)} .",
        f"{r} {_iri(SKG + 'lineNumber')} {_lit(str(number + 10), XSD + 'integer')} .",
        f"{r} {_iri(SKG + 'section')} {_lit('Bench > ' + section.rsplit('/', 1)[-1])} .",
        f"{r} {_iri(SKG + 'sectionCategory')} {_iri(section)} .",
        f"{r} {_iri(SKG + 'statedTitle')} {_lit(title)} .",
        f"{r} {_iri(SKG + 'statedYear')} {_lit(str(year))} .",
        f"{r} {_iri(SKG + 'statedLink')} {_iri(link)} .",
    ]
    for prop, cat in links:
        data.append(f"{p} {_iri(SKG + prop)} {_iri(cat)} .")
        c = _iri(f"{BASE}classification/{iri.rsplit('/', 1)[-1]}/{cat.rsplit('/', 1)[-1]}")
        prov += [
            f"{c} {_iri(RDF + 'type')} {_iri(SKG + 'Classification')} .",
            f"{c} {_iri(SKG + 'classifiedPaper')} {p} .",
            f"{c} {_iri(SKG + 'category')} {_iri(cat)} .",
            f"{c} {_iri(PROV + 'wasDerivedFrom')} {r} .",
        ]
    return data, prov


def generate(triples: int, seed: int, out: Path) -> Counts:
    """Write a graph of about ``triples`` triples (ontology included) into ``out``."""
    rng = random.Random(seed)
    ontology = _ontology_lines()
    cats = {
        "method": _leaves(METHOD_ROOT),
        "application": _leaves(APPLICATION_ROOT),
        "challenge": _leaves(CHALLENGE_ROOT),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        (work / "ontology").mkdir()
        (work / "data").mkdir()
        shutil.copyfile(paths.ONTOLOGY_TTL, work / "ontology" / "synthkg.ttl")
        with (
            (work / "data" / "papers.ttl").open("w", encoding="utf-8") as papers,
            (work / "data" / "provenance.ttl").open("w", encoding="utf-8") as provenance,
            (work / "data" / "venues.ttl").open("w", encoding="utf-8") as venue_file,
            (work / "dataset.nq").open("w", encoding="utf-8") as quads,
        ):
            data_graph, onto_graph = _iri(DATA_GRAPH), _iri(ONTOLOGY_GRAPH)

            def emit(sink, lines: list[str]) -> int:
                sink.write("".join(line + "\n" for line in lines))
                quads.write("".join(f"{line[:-1]}{data_graph} .\n" for line in lines))
                return len(lines)

            quads.write("".join(f"{line[:-1]}{onto_graph} .\n" for line in ontology))
            n_venues = max(10, min(500, triples // 20_000))
            venues: list[str] = []
            written = emit(venue_file, _arxiv_venue())
            for iri, lines in _venues(rng, n_venues):
                venues.append(iri)
                written += emit(venue_file, lines)
            written += emit(provenance, _document())
            number = 0
            while written + len(ontology) < triples:
                data, prov = _paper(rng, number, venues, cats)
                written += emit(papers, data) + emit(provenance, prov)
                number += 1
        for name in ("ontology", "data", "dataset.nq"):
            if (out / name).exists():
                target = out / name
                shutil.rmtree(target) if target.is_dir() else target.unlink()
        out.mkdir(parents=True, exist_ok=True)
        for name in ("ontology", "data", "dataset.nq"):
            os.replace(work / name, out / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Counts(number, n_venues + 1, written, len(ontology))


def _arxiv_venue() -> list[str]:
    v = _iri(BASE + "venue/arxiv")
    return [
        f"{v} {_iri(RDF + 'type')} {_iri(SKG + 'Venue')} .",
        f"{v} {_iri(RDF + 'type')} {_iri(SKG + 'PreprintServer')} .",
        f"{v} {_iri(RDFS + 'label')} {_lit('arXiv')} .",
    ]


def _document() -> list[str]:
    d, lst = _iri(DOCUMENT), _iri(LIST)
    return [
        f"{lst} {_iri(RDF + 'type')} {_iri(SKG + 'SourceList')} .",
        f"{lst} {_iri(DCT + 'title')} {_lit('Benchmark list')} .",
        f"{d} {_iri(RDF + 'type')} {_iri(SKG + 'SourceDocument')} .",
        f"{d} {_iri(DCT + 'isVersionOf')} {lst} .",
        f"{d} {_iri(SKG + 'fileName')} {_lit('bench-list.md')} .",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=float, required=True, help="e.g. 1e5")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    counts = generate(int(args.triples), args.seed, args.out)
    print(f"{args.out}: {counts.triples} triples, {counts.papers} papers, {counts.venues} venues")


if __name__ == "__main__":
    main()
