"""Every quality query: a fixture where it finds nothing and one where it finds the problem.

The fixtures use a three-category taxonomy (quality-taxonomy.ttl) instead of the project's,
so that one small graph can leave no category empty.
"""

from __future__ import annotations

from functools import cache

import pytest
from validation_fixtures import fixture

from synthkg import paths
from synthkg.quality import load_checks, quality_store, run_checks


@cache
def rows_for(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    store = quality_store([fixture(name)], ontology=[fixture("quality-taxonomy")])
    return {result.check.name: result.rows for result in run_checks(store)}


# (failing fixture, check, the rows it must return)
FAILING = [
    (
        "quality-shared-identifier",
        "shared-identifier",
        [
            ("<https://arxiv.org/abs/2401.00001>", "schema:sameAs"),
            ("2401.00001", "skg:arxivId"),
        ],
    ),
    (
        "quality-near-duplicate-titles",
        "near-duplicate-titles",
        [
            ("paper:title-self-instruct", "Self-Instruct"),
            ("paper:arxiv-2401.00001", "Synthetic Tables from Scratch"),
        ],
    ),
    (
        "quality-conflicting-years",
        "conflicting-years",
        [("paper:arxiv-2401.00001", "2023", "draft.md:5", "2024", "list.md:10")],
    ),
    (
        "quality-conflicting-venues",
        "conflicting-venues",
        [("paper:arxiv-2401.00001", "arXiv", "draft.md:5", "ICLR", "list.md:10")],
    ),
    (
        "quality-identical-siblings",
        "identical-sibling-categories",
        [("skg:SynthesisMethod", "skg:SynthesisFromScratch", "skg:SynthesisFromSeeds", "2")],
    ),
    (
        "quality-empty-category",
        "empty-categories",
        [("skg:SynthesisFromSeeds", "skg:SynthesisMethod", "true")],
    ),
]


def test_every_query_is_tested() -> None:
    names = {check.name for check in load_checks()}
    assert names == {check for _, check, _ in FAILING}


@pytest.mark.parametrize(("name", "check", "expected"), FAILING)
def test_query_finds_the_problem(name: str, check: str, expected: list[tuple[str, ...]]) -> None:
    rows = rows_for(name)[check]
    # compare the leading columns the fixture pins down
    assert sorted(row[: len(expected[0])] for row in rows) == sorted(expected)


@pytest.mark.parametrize("check", sorted({check for _, check, _ in FAILING}))
def test_query_finds_nothing_in_clean_data(check: str) -> None:
    assert rows_for("quality-pass")[check] == ()


def test_venue_aliases_do_not_conflict() -> None:
    rows = rows_for("quality-conflicting-venues")["conflicting-venues"]
    assert all(row[0] != "paper:arxiv-2401.00002" for row in rows)


def test_short_title_is_not_a_prefix() -> None:
    rows = rows_for("quality-near-duplicate-titles")["near-duplicate-titles"]
    assert all("paper:arxiv-2401.00004" not in row for row in rows)


@pytest.mark.parametrize("check", load_checks(), ids=lambda check: check.name)
def test_query_header_says_what_and_why(check) -> None:
    assert check.summary.endswith(".")
    assert len(check.why) > 40
    assert (paths.QUALITY_DIR / f"{check.name}.rq").is_file()
