"""Every section heading of both awesome lists names exactly one taxonomy category."""

from __future__ import annotations

import re
from pathlib import Path

import ftfy
import pytest

from synthkg.namespaces import SKG
from synthkg.taxonomy import Taxonomy, load_taxonomy
from testpaths import SOURCES_DIR

CURRENT = SOURCES_DIR / "awesome-synthetic-data-generation.md"
DRAFT = SOURCES_DIR / "seed-awesome-synthetic-data-generation-draft.md"

_HEADING = re.compile(r"^(#{2,4})\s+(.+?)(?:\s+#+)?\s*$")
_BOLD = re.compile(r"^\*\*(.+?)\*\*$")


def section_headings(text: str) -> list[tuple[int, str]]:
    """``(line, heading)`` for ``##`` to ``####`` lines (``### Name ###`` included) and
    for bold lines that a table follows; HTML blocks (the table of contents) are skipped."""
    lines = [line.strip() for line in text.splitlines()]
    found: list[tuple[int, str]] = []
    in_html = False
    for index, line in enumerate(lines):
        if line.startswith("<details"):
            in_html = True
        if in_html:
            in_html = not line.startswith("</details")
            continue
        following = next((rest for rest in lines[index + 1 :] if rest), "")
        if match := _HEADING.match(line):
            found.append((index + 1, match.group(2)))
        elif (match := _BOLD.match(line)) and following.startswith("|"):
            found.append((index + 1, match.group(1)))
    return found


def read_source(path: Path) -> str:
    assert path.is_file(), f"{path}: the source lists must sit in shared/sources"
    # The draft is UTF-8 that was once decoded as cp1252; ftfy repairs it.
    return ftfy.fix_text(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def resolve_all(taxonomy: Taxonomy, path: Path) -> dict[str, str]:
    """heading -> category local name; fails naming every heading that does not resolve."""
    resolved: dict[str, str] = {}
    unresolved = []
    for line, heading in section_headings(read_source(path)):
        category = taxonomy.resolve(heading)  # raises when a heading is ambiguous
        if category is None:
            unresolved.append(f"{path.name}:{line}: {heading!r}")
        else:
            resolved[heading] = taxonomy.categories[category].local_name
    assert unresolved == []
    return resolved


def test_heading_parser_finds_each_kind_of_heading() -> None:
    text = "\n".join(
        [
            "<details>",
            "## 9. Not a heading inside the table of contents",
            "</details>",
            "## 1. Methodologies",
            "### Model Collapse ###",
            "#### Data Refinement",
            "**Dataset distillation**",
            "| Paper Title | Year |",
            "**Bold text without a table**",
            "plain text",
        ]
    )
    assert section_headings(text) == [
        (4, "1. Methodologies"),
        (5, "Model Collapse"),
        (6, "Data Refinement"),
        (7, "Dataset distillation"),
    ]


def test_every_heading_of_the_current_list_resolves(taxonomy: Taxonomy) -> None:
    resolved = resolve_all(taxonomy, CURRENT)
    # The current list has a heading for every category, each used once.
    assert len(resolved) == len(taxonomy.categories) == 74
    assert sorted(resolved.values()) == sorted(c.local_name for c in taxonomy.categories.values())
    assert resolved["Utility-Privacy Tradeoffs"] == "UtilityPrivacyTradeoff"
    assert resolved["3. Challenges & Future Directions"] == "Challenge"


def test_every_heading_of_the_draft_resolves(taxonomy: Taxonomy) -> None:
    resolved = resolve_all(taxonomy, DRAFT)
    assert len(resolved) == len(set(resolved.values())) == 72
    assert resolved["Active Synthesis"] == "ActiveDataSynthesis"
    assert resolved["Multi-Modal Synthesis"] == "MultiModalDataSynthesis"
    assert resolved["In-context learning"] == "InContextLearning"


def test_draft_places_in_context_learning_under_model_evaluation(taxonomy: Taxonomy) -> None:
    headings = [heading for _, heading in section_headings(read_source(DRAFT))]
    before = headings[: headings.index("In-context learning")]
    parent_heading = next(h for h in reversed(before) if h.startswith(("Model", "Domain")))
    assert taxonomy.resolve(parent_heading) == SKG["ModelEvaluation"]
    assert taxonomy.categories[SKG["InContextLearning"]].parent == SKG["DomainModelEnhancement"]
