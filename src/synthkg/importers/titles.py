"""Paper titles: the comparison key, slugs and the short-name rule."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def clean_title(text: str) -> str:
    """A title as written, with spacing tidied (no case or punctuation change)."""
    return _SPACES.sub(" ", text).strip()


def title_key(text: str) -> str:
    """The key under which two spellings of one title compare equal: NFKC, case-folded,
    punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub("", text)


def title_slug(text: str, limit: int = 80) -> str:
    """A lower-case ASCII slug of the title (words joined by ``-``), at most ``limit``
    characters, cut at a word boundary where possible."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = text.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or "untitled"


def head_key(text: str) -> str:
    """The key of the part of a title before its first colon ("Self-instruct: Aligning…")."""
    head, colon, _ = text.partition(":")
    return title_key(head) if colon else ""


def is_short_name(text: str) -> bool:
    """A name such as "Self-Instruct" or "Isaac Lab" rather than a full title: a few
    words, no colon."""
    words = text.split()
    return ":" not in text and 0 < len(words) <= 4 and len(text) <= 40
