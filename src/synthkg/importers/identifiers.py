"""Links in the lists turned into normalised paper identifiers.

Each recognised link gives one ``Identifier``: a scheme, a normalised value (what the literal
property holds) and the canonical IRI (what ``schema:sameAs`` holds). Two links name the
same work exactly when their identifiers are equal, so ``arxiv.org/abs/X``,
``arxiv.org/pdf/Xv2`` and ``doi.org/10.48550/arXiv.X`` compare equal. A link that is no
identifier becomes the scheme ``url`` (stored as ``schema:url``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, unquote, urlsplit

from rdflib import URIRef

from synthkg.namespaces import SCHEMA, SKG

# Precedence of schemes when naming a paper (docs/data-model.md, "Paper IRIs").
SCHEME_ORDER = ("arxiv", "doi", "openreview", "neurips", "acl", "pmlr", "cvf", "ijcai", "url")

# The literal property each scheme is stored under; ``url`` is an IRI in ``schema:url``.
PROPERTY: dict[str, URIRef] = {
    "arxiv": SKG["arxivId"],
    "doi": SKG["doi"],
    "openreview": SKG["openReviewId"],
    "neurips": SKG["neuripsHash"],
    "acl": SKG["aclAnthologyId"],
    "pmlr": SKG["pmlrId"],
    "cvf": SKG["cvfId"],
    "ijcai": SKG["ijcaiId"],
    "url": SCHEMA["url"],
}
SCHEME_OF_PROPERTY: dict[URIRef, str] = {prop: scheme for scheme, prop in PROPERTY.items()}


@dataclass(frozen=True, order=True)
class Identifier:
    """One identifier of a paper. Equality ignores the IRI: the value names the work."""

    scheme: str
    value: str
    iri: str = field(compare=False, default="")

    @property
    def rank(self) -> int:
        return SCHEME_ORDER.index(self.scheme)

    def paper_slug(self) -> str:
        """The local name of a paper IRI taken from this identifier."""
        if self.scheme == "arxiv":
            return "arxiv-" + self.value.replace("/", "-")
        if self.scheme in ("doi", "cvf"):
            return f"{self.scheme}-" + re.sub(r"[^a-z0-9.-]", "_", self.value.lower())
        if self.scheme in ("pmlr", "ijcai"):
            return f"{self.scheme}-" + self.value.replace("/", "-")
        if self.scheme == "url":
            return "url-" + hashlib.sha1(self.value.encode("utf-8")).hexdigest()[:12]
        return f"{self.scheme}-{self.value}"


_NEW_ARXIV = r"\d{4}\.\d{4,5}"
_OLD_ARXIV = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"^({_NEW_ARXIV}|{_OLD_ARXIV})(?:v\d+)?$")
_DOI_IN_TEXT = re.compile(r"(10\.\d{4,9}/\S+)")
_HEX32 = re.compile(r"^([0-9a-fA-F]{32})-")
_ACL_ID = re.compile(r"^(\d{4}\.[a-z0-9-]+\.\d+|[A-Z]\d{2}-\d{4})$", re.IGNORECASE)
_UNSAFE_IRI = re.compile(r"[\x00-\x20<>\"{}|\\^`]")


def arxiv(identifier: str) -> Identifier | None:
    """An arXiv identifier from ``2401.10020v2``, ``hep-th/9901001`` and the like."""
    match = _ARXIV_ID.match(identifier.strip().removesuffix(".pdf"))
    if not match:
        return None
    value = match.group(1)
    return Identifier("arxiv", value, f"https://arxiv.org/abs/{value}")


def doi(text: str) -> Identifier | None:
    """A DOI (lower case); an arXiv DOI ``10.48550/arXiv.N`` is an arXiv identifier."""
    text = unquote(text).strip().rstrip("/.")
    match = _DOI_IN_TEXT.search(text)
    if not match:
        return None
    value = match.group(1).lower().removesuffix(".pdf")
    if value.startswith("10.48550/arxiv."):
        return arxiv(value.removeprefix("10.48550/arxiv."))
    return Identifier("doi", value, "https://doi.org/" + quote(value, safe="/:;()._-"))


def _arxiv_link(path: str) -> Identifier | None:
    parts = path.strip("/").split("/", 1)
    if len(parts) == 2 and parts[0] in ("abs", "pdf", "html", "format"):
        return arxiv(parts[1])
    return None


def _openreview_link(path: str, query: str) -> Identifier | None:
    if path.rstrip("/") not in ("/forum", "/pdf", "/attachment"):
        return None
    ids = parse_qs(query).get("id")
    if not ids or not ids[0]:
        return None
    value = ids[0].strip()
    return Identifier("openreview", value, f"https://openreview.net/forum?id={value}")


def _neurips_link(path: str) -> Identifier | None:
    # /paper_files/paper/2024/hash/<hash>-Abstract-Conference.html, /paper/2020/file/<hash>-...
    match = re.search(r"/paper/(\d{4})/(?:hash|file)/([^/]+)$", path)
    if not match:
        return None
    year, name = match.groups()
    digest = _HEX32.match(name)
    if not digest:
        return None
    value = digest.group(1).lower()
    track = re.search(r"-(?:Abstract|Paper)(-[A-Za-z_]+)?\.(?:html|pdf)$", name)
    suffix = track.group(1) if track and track.group(1) else ""
    iri = (
        f"https://proceedings.neurips.cc/paper_files/paper/{year}/hash/"
        f"{value}-Abstract{suffix}.html"
    )
    return Identifier("neurips", value, iri)


def _cvf_link(path: str) -> Identifier | None:
    # /content/CVPR2024/html/X_CVPR_2024_paper.html, /content/CVPR2024/papers/X.pdf,
    # /content_CVPR_2020/html/X.html, /content_cvpr_2018/html/X.html
    match = re.match(
        r"^/(content/[^/]+(?:/[^/]+)*?|content_[A-Za-z]+_\d{4})/(html|papers)/"
        r"([^/]+?)\.(html|pdf)$",
        path,
    )
    if not match:
        return None
    folder, _, name, _ = match.groups()
    if folder.startswith("content_"):
        _, conference, year = folder.split("_")
        key = f"{conference.upper()}{year}"
    else:
        key = folder.removeprefix("content/")
    value = f"{key}/{name}"
    return Identifier("cvf", value, f"https://openaccess.thecvf.com/{folder}/html/{name}.html")


def _pmlr_link(path: str) -> Identifier | None:
    match = re.match(r"^/(v\d+)/([A-Za-z0-9_-]+?)(?:\.html|\.pdf|/\2\.pdf|/)?$", path)
    if not match:
        return None
    value = f"{match.group(1)}/{match.group(2)}"
    return Identifier("pmlr", value, f"https://proceedings.mlr.press/{value}.html")


def _acl_link(path: str) -> Identifier | None:
    name = path.strip("/").removeprefix("anthology/").removesuffix(".pdf").strip("/")
    if not _ACL_ID.match(name):
        return None
    return Identifier("acl", name, f"https://aclanthology.org/{name}")


def _ijcai_link(path: str) -> Identifier | None:
    match = re.match(r"^/proceedings/(\d{4})/(\d+)(?:\.pdf)?/?$", path)
    if not match:
        return None
    value = f"{match.group(1)}/{int(match.group(2))}"
    return Identifier("ijcai", value, f"https://www.ijcai.org/proceedings/{value}")


def iri_safe(url: str) -> str:
    """A link as an IRI: surrounding space trimmed, characters that may not appear in an
    IRI percent-encoded, everything else as written."""
    return _UNSAFE_IRI.sub(lambda m: quote(m.group(0)), url.strip())


def clean_url(url: str) -> str:
    """A link kept as ``schema:url``: IRI-safe, with tracking parameters (``utm_*``)
    dropped; the other parameters keep their spelling."""
    base, question, query = url.strip().partition("?")
    if question:
        query, hash_mark, fragment = query.partition("#")
        kept = [part for part in query.split("&") if part and not part.startswith("utm_")]
        base = base + ("?" + "&".join(kept) if kept else "") + hash_mark + fragment
    return iri_safe(base)


def from_link(url: str) -> Identifier | None:
    """The identifier a link carries, or a ``url`` identifier; ``None`` for no link."""
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    if url.lower().startswith(("arxiv:", "doi:")):
        scheme, _, rest = url.partition(":")
        return arxiv(rest) if scheme.lower() == "arxiv" else doi(rest)
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = unquote(parts.path)
    found: Identifier | None = None
    if host in ("arxiv.org", "export.arxiv.org"):
        found = _arxiv_link(path)
    elif host in ("doi.org", "dx.doi.org"):
        found = doi(path.lstrip("/"))
    elif host == "openreview.net":
        found = _openreview_link(path, parts.query)
    elif host in ("papers.nips.cc", "proceedings.neurips.cc", "papers.neurips.cc"):
        found = _neurips_link(path)
    elif host == "openaccess.thecvf.com":
        found = _cvf_link(path)
    elif host == "proceedings.mlr.press":
        found = _pmlr_link(path)
    elif host in ("aclanthology.org", "aclweb.org"):
        found = _acl_link(path)
    elif host == "ijcai.org":
        found = _ijcai_link(path)
    elif _DOI_IN_TEXT.search(path):
        # Publisher pages that carry the DOI in their path (link.springer.com/chapter/10.1007/…,
        # dl.acm.org/doi/10.1145/…).
        found = doi(path)
    if found is not None:
        return found
    cleaned = clean_url(url)
    return Identifier("url", cleaned, cleaned)
