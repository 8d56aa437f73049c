"""The per-client budget table: shared by processes, drained over time, bounded in size."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from synthkg.web.fairness import HEADER, SLOT, TABLE_FILE, Budget, OverBudget


def test_a_client_over_its_budget_is_refused_with_a_wait(tmp_path: Path) -> None:
    budget = Budget(seconds=2.0, window=100.0, folder=tmp_path)
    budget.check("alice")
    budget.charge("alice", 2.5)
    with pytest.raises(OverBudget) as refused:
        budget.check("alice")
    # 0.5 s over at 0.02 s/s drains in 25 s: the wait says so (rounded up, plus one).
    assert 25 <= refused.value.retry_after <= 27
    assert "budget spent" in str(refused.value)
    budget.check("bob")  # another client is not affected


def test_a_bucket_drains_at_budget_per_window(tmp_path: Path) -> None:
    budget = Budget(seconds=1.0, window=1.0, folder=tmp_path)
    budget.charge("carol", 1.2)
    assert budget.spent("carol") == pytest.approx(1.2, abs=0.05)
    time.sleep(0.5)
    assert budget.spent("carol") == pytest.approx(0.7, abs=0.1)
    time.sleep(0.8)
    assert budget.spent("carol") == 0.0
    budget.check("carol")


def test_a_check_alone_stores_nothing(tmp_path: Path) -> None:
    budget = Budget(seconds=1.0, window=10.0, folder=tmp_path)
    for n in range(50):
        budget.check(f"visitor-{n}")
    data = (tmp_path / TABLE_FILE).read_bytes()
    assert data[HEADER.size :] == bytes(len(data) - HEADER.size)


def test_processes_share_the_spending(tmp_path: Path) -> None:
    budget = Budget(seconds=3.0, window=600.0, folder=tmp_path)
    budget.charge("dave", 1.0)  # the parent maps the table before the fork
    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:  # each child adds 1.1 s, under its own lock
            try:
                for _ in range(11):
                    budget.charge("dave", 0.1)
            finally:
                os._exit(0)
        children.append(pid)
    for pid in children:
        assert os.waitpid(pid, 0)[1] == 0
    assert budget.spent("dave") == pytest.approx(3.2, abs=0.01)
    with pytest.raises(OverBudget):
        budget.check("dave")
    # A second server process opening the same folder sees the same bucket.
    other = Budget(seconds=3.0, window=600.0, folder=tmp_path)
    assert other.spent("dave") == pytest.approx(3.2, abs=0.01)


def test_a_full_table_reuses_the_least_spent_bucket(tmp_path: Path) -> None:
    budget = Budget(seconds=5.0, window=600.0, folder=tmp_path, slots=4)
    for n, seconds in enumerate([4.0, 3.0, 2.0, 1.0]):
        budget.charge(f"client-{n}", seconds)
    budget.charge("newcomer", 0.5)  # takes the bucket of client-3, which spent least
    assert budget.spent("newcomer") == pytest.approx(0.5, abs=0.01)
    assert budget.spent("client-3") == 0.0
    assert budget.spent("client-0") == pytest.approx(4.0, abs=0.01)
    # The heaviest spender keeps its bucket: it is still refused once over.
    budget.charge("client-0", 1.5)
    with pytest.raises(OverBudget):
        budget.check("client-0")


def test_a_damaged_table_is_started_afresh(tmp_path: Path) -> None:
    (tmp_path / TABLE_FILE).write_bytes(b"not a table")
    budget = Budget(seconds=1.0, window=10.0, folder=tmp_path)
    budget.charge("erin", 0.25)
    assert budget.spent("erin") == pytest.approx(0.25, abs=0.01)
    data = (tmp_path / TABLE_FILE).read_bytes()
    assert len(data) == HEADER.size + budget.slots * SLOT.size
    assert b"erin" not in data  # only a hash of the key is kept


def test_a_budget_of_zero_is_off(tmp_path: Path) -> None:
    budget = Budget(seconds=0.0, window=60.0, folder=tmp_path)
    budget.charge("frank", 1000.0)
    budget.check("frank")
    assert not (tmp_path / TABLE_FILE).exists()
