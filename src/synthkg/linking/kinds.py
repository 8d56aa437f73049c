"""The graphs we link to: which query templates to use and how to spell the values.

Each kind has two templates in ``queries/linking/``: ``<kind>-identifiers.rq`` (by arXiv ID
or DOI) and ``<kind>-titles.rq`` (by title). ``$arxiv``, ``$doi`` and ``$title`` in them are
replaced by the SPARQL terms of one batch.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from synthkg import paths
from synthkg.errors import InputError

LINKING_QUERIES_DIR = paths.QUERIES_DIR / "linking"


def literal(text: str, language: str | None = None) -> str:
    """A SPARQL string literal."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"' + (f"@{language}" if language else "")


def title_spellings(title: str) -> list[str]:
    """The spellings a title is asked for: as written, lower case, and every word
    capitalised (sources and catalogues differ mostly in case)."""
    words = title.split()
    capitalised = " ".join(w[:1].upper() + w[1:] for w in words)
    lower = title.lower()
    return list(dict.fromkeys([" ".join(words), lower, capitalised]))


@dataclass(frozen=True)
class Kind:
    """One target graph."""

    name: str
    doi_case: Callable[[str], str]
    title_terms: Callable[[str], list[str]]

    def template(self, part: str) -> string.Template:
        path = LINKING_QUERIES_DIR / f"{self.name}-{part}.rq"
        return string.Template(path.read_text(encoding="utf-8"))

    def identifier_query(self, arxiv_ids: Iterable[str], dois: Iterable[str]) -> str:
        return self.template("identifiers").substitute(
            arxiv=" ".join(literal(a) for a in arxiv_ids),
            doi=" ".join(literal(self.doi_case(d)) for d in dois),
        )

    def title_query(self, titles: Iterable[str]) -> str:
        terms = dict.fromkeys(term for title in titles for term in self.title_terms(title))
        return self.template("titles").substitute(title=" ".join(terms))


def _english(title: str) -> list[str]:
    return [literal(s, "en") for s in title_spellings(title)]


def _plain_with_stop(title: str) -> list[str]:
    spellings = title_spellings(title)
    return [literal(s) for s in spellings] + [literal(s + ".") for s in spellings]


def _plain(title: str) -> list[str]:
    return [literal(s) for s in title_spellings(title)]


KINDS: dict[str, Kind] = {
    # Wikidata keeps DOIs in upper case and titles as English monolingual text.
    "wikidata": Kind("wikidata", str.upper, _english),
    "dblp": Kind("dblp", str.lower, _plain_with_stop),
    "openalex": Kind("openalex", str.lower, _plain),
}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise InputError(
            f"unknown link kind {name!r} (expected one of {', '.join(KINDS)})"
        ) from None
