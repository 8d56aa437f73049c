"""A query process answers on its caller's CPU, and on every CPU once its query runs long."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pyoxigraph as ox
import pytest

from synthkg.web.executor import QueryRunner, QueryTimeout, RunnerPool
from synthkg.web.placement import SPREAD_AFTER_MS, Placement
from synthkg.web.results import QueryJob

SEVERAL_CPUS = len(os.sched_getaffinity(0)) >= 2


def _idle_child() -> multiprocessing.process.BaseProcess:
    child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,))
    child.start()
    return child


def test_a_child_is_placed_beside_its_caller_and_spread_again() -> None:
    child = _idle_child()
    try:
        placement = Placement(child.pid)
        everywhere = os.sched_getaffinity(0)
        placement.beside_caller()
        if SEVERAL_CPUS:
            assert placement.placed
            (cpu,) = os.sched_getaffinity(child.pid)
            assert cpu in everywhere
        else:  # one CPU: nothing to choose, nothing placed
            assert not placement.placed
        placement.spread()
        assert not placement.placed
        assert os.sched_getaffinity(child.pid) == everywhere
    finally:
        child.kill()
        child.join()


def test_placing_a_child_that_has_died_is_harmless() -> None:
    child = _idle_child()
    placement = Placement(child.pid)
    child.kill()
    child.join()
    placement.beside_caller()
    placement.spread()
    assert not placement.placed


def _crowded_store() -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    for n in range(300):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{n}"), p, ox.Literal(str(n))))
    return store


@pytest.mark.skipif(not SEVERAL_CPUS, reason="placement needs two CPUs or more")
def test_a_long_query_is_spread_over_every_cpu_while_a_short_one_stays_beside() -> None:
    store = _crowded_store()
    runner = QueryRunner(lambda: store)
    everywhere = os.sched_getaffinity(0)
    try:
        ask = QueryJob("ASK { ?s ?p ?o }", "json", None, 10)
        assert runner.run(ask, 30).status == 200
        assert os.sched_getaffinity(runner.pid) == everywhere  # not placed while it opens
        assert runner.run(ask, 30).status == 200
        assert len(os.sched_getaffinity(runner.pid)) == 1  # answered beside its caller
        # 300^3 combinations: runs until the deadline stops it.
        slow = QueryJob(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }", "json", None, 10
        )
        outcome: list[BaseException] = []

        def run_slow() -> None:
            try:
                runner.run(slow, 1.5)
            except QueryTimeout as stopped:
                outcome.append(stopped)

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(SPREAD_AFTER_MS / 1000 + 0.5)
        assert os.sched_getaffinity(runner.pid) == everywhere
        thread.join(10)
        assert outcome and isinstance(outcome[0], QueryTimeout)
    finally:
        runner.stop()


def test_a_pool_still_answers_from_any_thread() -> None:
    store = _crowded_store()
    pool = RunnerPool(lambda: store, size=2)
    answers: list[int] = []

    def ask() -> None:
        for _ in range(20):
            answers.append(pool.run(QueryJob("ASK { ?s ?p ?o }", "json", None, 10), 30).status)

    try:
        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert answers == [200] * 80
    finally:
        pool.close()
