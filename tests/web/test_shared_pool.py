"""An in-memory store's query process: one copy of the store, several lanes (threads), and
what happens to the other lanes' queries when one query must be killed."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from synthkg.store import memory_copy
from synthkg.web.executor import CRASHED, QueryTimeout, _Alarm
from synthkg.web.results import Answer, PatternJob, QueryJob, run_job
from synthkg.web.shared_pool import SharedStorePool

EX = "http://example.org/"
# 300^4 combinations: runs until a deadline stops it.
ENDLESS = QueryJob(
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }",
    "json",
    None,
    10,
)
ASK = QueryJob("ASK { ?s ?p ?o }", "json", None, 10)
COUNT = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "json", None, 10)


def crowded_store() -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    for n in range(300):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{n}"), p, ox.Literal(str(n))))
    return store


def recording_opener(record: Path) -> ox.Store:
    """Build the store in the calling process and write down which process that was."""
    with record.open("a") as sink:
        sink.write(f"{os.getpid()}\n")
    return crowded_store()


def in_background(work, *args) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work(*args))
        except BaseException as failure:  # the test inspects it
            outcome.append(failure)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_busy(pool: SharedStorePool, lanes: int, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while sum(pool._busy.values()) < lanes:
        assert time.monotonic() < deadline, "the job never reached its lane"
        time.sleep(0.01)


def test_the_query_process_builds_the_only_copy_and_answers_on_every_lane(
    tmp_path: Path,
) -> None:
    record = tmp_path / "openers"
    pool = SharedStorePool(lambda: recording_opener(record), size=2)
    try:
        pool.warm()
        process = pool.process
        assert process is not None and process.alive
        answers = []
        threads = [
            threading.Thread(target=lambda: answers.append(pool.run(COUNT, 30).status))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert answers == [200] * 6
        assert pool.process is process  # every job went to the one process
        # The store was built once, in the query process, never in this one.
        assert record.read_text().split() == [str(process.pid)]
        assert process.pid != os.getpid()
    finally:
        pool.close()


def test_a_long_query_leaves_the_other_lane_free() -> None:
    pool = SharedStorePool(crowded_store, size=2)
    try:
        pool.warm()
        slow, outcome = in_background(pool.run, ENDLESS, 4.0)
        wait_busy(pool, 1)
        # Answered by another thread of the same process while the long query runs.
        assert pool.run(ASK, 30).status == 200
        assert slow.is_alive()
        slow.join(30)
        assert len(outcome) == 1 and isinstance(outcome[0], QueryTimeout)
    finally:
        pool.close()


def test_a_killed_query_takes_nobody_elses_answer_with_it() -> None:
    # A query that sleeps in its lane stands in for one that is merely slower than the one
    # that times out: it is killed with the process and must be answered all the same.
    def answer_job(store: ox.Store, job: QueryJob | PatternJob) -> Answer:
        if isinstance(job, QueryJob) and job.query.startswith("# sleep"):
            time.sleep(float(job.query.split()[2]))
            job = COUNT
        return run_job(store, job)

    pool = SharedStorePool(crowded_store, size=2, answer_job=answer_job)
    try:
        pool.warm()
        first = pool.process
        patient_job = QueryJob("# sleep 2\nASK {}", "json", None, 10)
        patient, patient_outcome = in_background(pool.run, patient_job, 30.0)
        wait_busy(pool, 1)
        with pytest.raises(QueryTimeout):
            pool.run(ENDLESS, 0.5)
        patient.join(60)
        (answer,) = patient_outcome
        assert isinstance(answer, Answer) and answer.status == 200
        assert b'"n"' in answer.body
        # A fresh process answered it; the killed one is gone.
        assert first is not None and not first.alive
        assert pool.process is not first and pool.process.alive
        assert pool.run(ASK, 30).status == 200
    finally:
        pool.close()


def test_a_query_that_crashes_the_engine_twice_is_refused() -> None:
    def answer_job(store: ox.Store, job: QueryJob | PatternJob) -> Answer:
        if isinstance(job, QueryJob) and job.query.startswith("# crash"):
            os._exit(1)
        return run_job(store, job)

    pool = SharedStorePool(crowded_store, size=2, answer_job=answer_job)
    try:
        crash = pool.run(QueryJob("# crash\nASK {}", "json", None, 10), 30)
        assert (crash.status, crash.body.decode().strip()) == (400, CRASHED)
        assert pool.run(ASK, 30).status == 200  # and the next query is answered
    finally:
        pool.close()


def test_a_renewed_pool_moves_to_a_new_process_once_the_old_one_is_idle() -> None:
    pool = SharedStorePool(crowded_store, size=2)
    try:
        pool.warm()
        old = pool.process
        slow, outcome = in_background(pool.run, ENDLESS, 1.0)
        wait_busy(pool, 1)
        pool.renew()
        assert pool.run(ASK, 30).status == 200
        assert pool.process is not old
        assert old is not None and old.alive  # its query is still running
        slow.join(30)
        assert isinstance(outcome[0], QueryTimeout)
        assert not old.alive
    finally:
        pool.close()


def test_the_page_lanes_do_not_wait_behind_the_public_ones() -> None:
    pool = SharedStorePool(crowded_store, size=1, extra=1)
    try:
        pool.warm()
        slow, _ = in_background(pool.run, ENDLESS, 3.0)
        wait_busy(pool, 1)
        assert pool.run(ASK, 30, trusted=True).status == 200
        assert slow.is_alive()
        slow.join(30)
    finally:
        pool.close()


def test_the_alarm_is_armed_for_the_latest_deadline_in_progress() -> None:
    previous = signal.signal(signal.SIGALRM, lambda *_: None)  # never ends the test run
    try:
        alarm = _Alarm(grace=5.0)
        alarm.start(0, 10.0)
        alarm.start(1, 30.0)
        assert signal.alarm(0) == 35  # the latest deadline plus the grace
        alarm.start(1, 30.0)
        alarm.done(1)
        assert signal.alarm(0) == 15  # only lane 0's is left
        alarm.start(0, 10.0)
        alarm.done(0)
        assert signal.alarm(0) == 0  # nothing in progress: disarmed
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


MARKED = QueryJob(f"ASK {{ <{EX}disk> <{EX}p> ?o }}", "json", None, 10)


def slow_to_open() -> ox.Store:
    time.sleep(1.5)
    return crowded_store()


def marked_store() -> ox.Store:
    """The store as opened, in these tests: told apart from its copy by one triple."""
    store = crowded_store()
    store.add(ox.Quad(ox.NamedNode(EX + "disk"), ox.NamedNode(EX + "p"), ox.Literal("x")))
    return store


def asked(pool: SharedStorePool) -> bool:
    answer = pool.run(MARKED, 30)
    assert answer.status == 200
    return b"true" in answer.body


def slow_copy(store: ox.Store) -> ox.Store:
    time.sleep(1.5)  # copying a large store into memory
    return crowded_store()


def test_the_store_as_opened_answers_while_its_copy_is_made() -> None:
    pool = SharedStorePool(marked_store, size=2, upgrade=slow_copy)
    try:
        pool.warm()
        process = pool.process
        started = time.monotonic()
        assert asked(pool)  # answered from the store as opened, without waiting
        assert time.monotonic() - started < 1.0
        deadline = time.monotonic() + 30
        while asked(pool):
            assert time.monotonic() < deadline, "the copy never took over"
            time.sleep(0.1)
        assert not asked(pool)  # the copy answers from now on, in the same process
        assert pool.process is process
    finally:
        pool.close()


def test_a_copy_that_fails_leaves_the_store_as_opened() -> None:
    def failing_copy(store: ox.Store) -> ox.Store:
        raise MemoryError("no room for the copy")

    pool = SharedStorePool(marked_store, size=2, upgrade=failing_copy)
    try:
        for _ in range(5):
            assert asked(pool)
            time.sleep(0.1)
    finally:
        pool.close()


def test_opening_the_store_does_not_count_against_the_deadline() -> None:
    pool = SharedStorePool(slow_to_open, size=1)
    try:
        # The store takes 1.5 s to open; the query's 0.5 s start once it is open.
        assert pool.run(ASK, 0.5).status == 200
    finally:
        pool.close()


def copy_while_ticking(source: ox.Store, batch: int) -> tuple[ox.Store, int]:
    """Copy ``source`` into memory while another thread counts; how often it counted."""
    ticks: list[float] = []
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    time.sleep(0.05)
    started = time.monotonic()
    copy = memory_copy(source, batch)
    ended = time.monotonic()
    done.set()
    ticker.join()
    return copy, len([at for at in ticks if started < at < ended])


def test_copying_into_memory_lets_the_other_threads_answer() -> None:
    # Regression: one call over every quad held Python's lock for the whole copy, so the
    # lanes answered nothing until it ended (8 s at 10^6 triples).
    p = ox.NamedNode(EX + "p")
    source = ox.Store()
    source.bulk_extend(
        ox.Quad(ox.NamedNode(f"{EX}s{n}"), p, ox.Literal(str(n))) for n in range(150_000)
    )
    copy, ticks = copy_while_ticking(source, batch=1_000)
    assert len(copy) == len(source)
    assert ticks >= 10
    _, ticks_in_one_call = copy_while_ticking(source, batch=len(source))
    assert ticks_in_one_call < ticks  # the test can tell
