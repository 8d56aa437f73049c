"""Reading awesome-list Markdown: decoding, headings, and the paper tables.

The lists share a shape: sections (``#`` headings at any level, or a line that is only
``**bold**``), each followed by a table with a title column and often year and venue
columns. Everything else (badges, HTML blocks, the table of contents, code) is ignored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import ftfy

from synthkg.errors import InputError

# Repair mis-encoded text only; keep quotes, widths and ligatures as the author wrote them.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    normalization=None,
)

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__):?\s*$")
_HTML_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.IGNORECASE)
_SEPARATOR_CELL = re.compile(r"^:?-{1,}:?$")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_HREF = re.compile(r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_UNKNOWN = {"", "-", "--", "—", "–", "n/a", "na", "?", "tbd", "none"}  # noqa: RUF001

BOLD_LEVEL = 7  # a bold line is a heading below every '#' level

_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("papertitle", "title", "paper", "papername", "name"),
    "year": ("year", "date", "published"),
    "venue": (
        "conferencejournal",
        "conference",
        "venue",
        "journal",
        "publication",
        "journalconference",
        "conferenceorjournal",
        "publishedin",
    ),
    "link": ("link", "url", "pdf", "paperlink"),
}


@dataclass(frozen=True)
class TableRow:
    """One data row of a paper table, as written (``None`` for '-' or empty)."""

    line: int
    section: tuple[str, ...]
    title: str
    link: str | None
    year: str | None
    venue: str | None


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


@dataclass
class MarkdownList:
    """A parsed list: title, SHA-256 of the file's bytes and its rows."""

    path: Path
    title: str
    sha256: str
    rows: list[TableRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    tables: int = 0


def decode(data: bytes, path: Path) -> str:
    """Bytes as text: UTF-8, else cp1252, else latin-1; mis-encoded text is repaired line by
    line (so line numbers stay right). Binary data raises ``InputError``."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{path}: binary file (NUL bytes), not Markdown")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
    if text and controls / len(text) > 0.01:
        raise InputError(f"{path}: binary or unreadable file ({controls} control characters)")
    return "\n".join(ftfy.fix_text(line, _FTFY) for line in text.split("\n"))


def clean_text(text: str) -> str:
    """Cell or heading text without links, images, HTML tags or emphasis marks."""
    text = _IMAGE.sub("", text)
    text = _HREF.sub(r"\2", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def split_cells(line: str) -> list[str]:
    """The cells of a table line (``\\|`` is a literal bar)."""
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", body)]


def _is_separator(line: str) -> bool:
    cells = split_cells(line)
    return "|" in line and bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells)


def _column_map(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = re.sub(r"[^a-z]", "", clean_text(cell).casefold())
        for name, spellings in _COLUMNS.items():
            if key in spellings and name not in columns:
                columns[name] = index
    return columns


def _value(cells: list[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    text = clean_text(cells[index])
    return None if text.casefold() in _UNKNOWN else text


def _first_link(cell: str) -> str | None:
    for pattern in (_LINK, _HREF):
        for match in pattern.finditer(_IMAGE.sub("", cell)):
            target = match.group(2) if pattern is _LINK else match.group(1)
            if target and not target.startswith("#"):
                return target.strip()
    bare = re.search(r"https?://[^\s<>|)\]]+", cell)  # a link column may hold a bare URL
    return bare.group(0) if bare else None


def parse_markdown(path: Path) -> MarkdownList:
    """Read one awesome-list file. Raises ``InputError`` when it cannot be read or has no
    paper table."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    data = path.read_bytes()
    text = decode(data, path)
    parsed = MarkdownList(path=path, title="", sha256=hashlib.sha256(data).hexdigest())
    stack: list[tuple[int, str]] = []
    lines = text.split("\n")
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if line.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or not line:
            continue
        h1 = _HTML_H1.search(line)
        if h1 and not parsed.title:
            parsed.title = clean_text(h1.group(1))
            continue
        heading = _ATX.match(line)
        bold = None if heading else _BOLD_LINE.match(line)
        if heading or bold:
            level = len(heading.group(1)) if heading else BOLD_LEVEL
            name = clean_text(heading.group(2) if heading else bold.group(1))
            if level == 1 and not parsed.title and not parsed.tables:
                parsed.title = name  # the document's own title, not a section
                continue
            while stack and stack[-1][0] >= level:
                stack.pop()
            if name:
                stack.append((level, name))
            continue
        if "|" in line and index < len(lines) and _is_separator(lines[index]):
            index = _read_table(parsed, lines, index - 1, stack)
    if not parsed.tables:
        raise InputError(f"{path}: no awesome-list table (a table with a title column) found")
    if not parsed.title:
        parsed.title = path.stem.replace("-", " ").strip().title()
    return parsed


def _read_table(parsed: MarkdownList, lines: list[str], start: int, stack: list) -> int:
    """Read the table whose header is at ``start``; returns the index after it."""
    columns = _column_map(split_cells(lines[start]))
    index = start + 2
    section = tuple(name for _, name in stack)
    if "title" in columns:
        parsed.tables += 1
    while index < len(lines) and "|" in lines[index] and lines[index].strip():
        number = index + 1
        cells = split_cells(lines[index])
        index += 1
        if "title" not in columns:
            parsed.skipped.append(Skipped(number, "table without a title column"))
            continue
        raw_title = cells[columns["title"]] if columns["title"] < len(cells) else ""
        title = _value(cells, columns["title"])
        if title is None:
            parsed.skipped.append(Skipped(number, "row without a title"))
            continue
        link = _first_link(raw_title)
        if link is None and "link" in columns and columns["link"] < len(cells):
            link = _first_link(cells[columns["link"]])
        parsed.rows.append(
            TableRow(
                line=number,
                section=section,
                title=title,
                link=link,
                year=_value(cells, columns.get("year")),
                venue=_value(cells, columns.get("venue")),
            )
        )
    return index
