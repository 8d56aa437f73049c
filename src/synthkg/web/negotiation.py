"""Content negotiation: the Accept header (q-values, wildcards) and the ``format`` override.

Every answer format the endpoint can give is listed once here, with its short name (the
``format`` parameter), its media types (the first is the one sent) and the pyoxigraph format
that writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox


@dataclass(frozen=True)
class AnswerFormat:
    """One serialisation the endpoint can send."""

    name: str
    media_types: tuple[str, ...]
    writer: ox.QueryResultsFormat | ox.RdfFormat

    @property
    def media_type(self) -> str:
        """The media type sent in Content-Type."""
        return self.media_types[0]


# Server preference order: the first acceptable one wins a tie of q-values.
RESULT_FORMATS: tuple[AnswerFormat, ...] = (
    AnswerFormat(
        "json", ("application/sparql-results+json", "application/json"), ox.QueryResultsFormat.JSON
    ),
    AnswerFormat(
        "xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        ox.QueryResultsFormat.XML,
    ),
    AnswerFormat("csv", ("text/csv",), ox.QueryResultsFormat.CSV),
    AnswerFormat("tsv", ("text/tab-separated-values",), ox.QueryResultsFormat.TSV),
)

GRAPH_FORMATS: tuple[AnswerFormat, ...] = (
    AnswerFormat("turtle", ("text/turtle", "application/x-turtle"), ox.RdfFormat.TURTLE),
    AnswerFormat("ntriples", ("application/n-triples",), ox.RdfFormat.N_TRIPLES),
    AnswerFormat("rdfxml", ("application/rdf+xml", "application/xml"), ox.RdfFormat.RDF_XML),
    AnswerFormat("jsonld", ("application/ld+json", "application/json"), ox.RdfFormat.JSON_LD),
    AnswerFormat("nquads", ("application/n-quads",), ox.RdfFormat.N_QUADS),
    AnswerFormat("trig", ("application/trig",), ox.RdfFormat.TRIG),
)

ALL_FORMATS = RESULT_FORMATS + GRAPH_FORMATS


class NotAcceptable(ValueError):
    """No format the endpoint offers is acceptable to the client (HTTP 406)."""


class UnknownFormat(ValueError):
    """A ``format`` parameter that names no known format (HTTP 400)."""


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    @property
    def specificity(self) -> int:
        """Exact type with parameters > exact type > ``type/*`` > ``*/*``."""
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str) -> bool:
        """Whether this range covers a concrete media type (parameters of the range ignored)."""
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped, an absent or
    empty header means ``*/*``."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for entry in header.split(","):
        parts = [part.strip() for part in entry.split(";")]
        kind, slash, sub = parts[0].lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for param in parts[1:]:
            key, _, value = param.partition("=")
            key, value = key.strip().lower(), value.strip().strip('"')
            if key == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
                break  # what follows q are accept-extensions, not media-type parameters
            if key:
                params.append((key, value))
        ranges.append(MediaRange(kind, sub, q, tuple(params)))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives a media type: that of the most specific matching range."""
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media_type) and (
            best is None or media_range.specificity > best.specificity
        ):
            best = media_range
    return best.q if best is not None else 0.0


def choose(header: str | None, offers: Sequence[AnswerFormat]) -> AnswerFormat:
    """The offered format the client prefers; ties go to the earlier offer."""
    return _choose(header, tuple(offers))


# Clients send few distinct Accept headers, each with every request.
@lru_cache(maxsize=128)
def _choose(header: str | None, offers: tuple[AnswerFormat, ...]) -> AnswerFormat:
    ranges = parse_accept(header)
    best: AnswerFormat | None = None
    best_q = 0.0
    exact = [r for r in ranges if r.specificity >= 2]
    for offer in offers:
        # Wildcards reach a format through its main media type only, so that ``text/*``
        # means CSV, not SPARQL XML under its ``text/xml`` alias.
        aliases = [quality(exact, media_type) for media_type in offer.media_types[1:]]
        q = max([quality(ranges, offer.media_type), *aliases])
        if q > best_q:
            best, best_q = offer, q
    if best is None:
        names = ", ".join(offer.media_type for offer in offers)
        raise NotAcceptable(f"none of the available formats is acceptable: {names}")
    return best


def by_parameter(value: str, offers: Sequence[AnswerFormat]) -> AnswerFormat:
    """The format a ``format`` parameter names (short name or media type)."""
    wanted = value.strip().lower()
    known = any(wanted == f.name or wanted in f.media_types for f in ALL_FORMATS)
    if not known:
        names = ", ".join(f.name for f in ALL_FORMATS)
        raise UnknownFormat(f"unknown format {value!r}; use one of {names} or a media type")
    for offer in offers:
        if wanted == offer.name or wanted in offer.media_types:
            return offer
    names = ", ".join(offer.name for offer in offers)
    raise NotAcceptable(f"format {value!r} cannot express this answer; use one of {names}")


def prefers_html(header: str | None) -> bool:
    """Whether a client names HTML explicitly and ranks it at least as high as every
    result or RDF format (a browser); ``*/*`` alone (curl) does not count as asking for HTML."""
    ranges = parse_accept(header)
    html = quality([r for r in ranges if r.specificity >= 2], "text/html")
    if html <= 0:
        return False
    other = max(quality(ranges, media) for f in ALL_FORMATS for media in f.media_types)
    return html >= other
