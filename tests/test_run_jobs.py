"""The run's job scheduler (qualitylib.run_steps.run_jobs): each step waits for what it reads, the steps
that run Python in the runner itself go one at a time, and a failing step neither stops the others
nor disappears."""
import threading
import time

import pytest

from qualitylib.run_steps import Job, needs_statistics, run_jobs


class Trace:
    """Records when each job starts and ends, and how many in-process jobs overlap."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events: list[tuple[str, str]] = []
        self.in_process_now = 0
        self.in_process_max = 0
        self.running_now = 0
        self.running_max = 0

    def job(self, name, *, after=(), in_process=False, seconds=0.05, result=None, error=None):
        def work():
            with self.lock:
                self.events.append(("start", name))
                self.running_now += 1
                self.running_max = max(self.running_max, self.running_now)
                if in_process:
                    self.in_process_now += 1
                    self.in_process_max = max(self.in_process_max, self.in_process_now)
            time.sleep(seconds)
            with self.lock:
                self.events.append(("end", name))
                self.running_now -= 1
                if in_process:
                    self.in_process_now -= 1
            if error is not None:
                raise error
            return result if result is not None else name

        return Job(name, work, after=tuple(after), in_process=in_process)

    def index(self, kind, name):
        return self.events.index((kind, name))


def test_a_job_starts_only_after_what_it_waits_for():
    t = Trace()
    jobs = [t.job("statistics", in_process=True, seconds=0.2), t.job("nb03", after=("statistics",)),
            t.job("nb01"), t.job("nb02")]
    results = run_jobs(jobs, 2)
    assert results == {"statistics": "statistics", "nb03": "nb03", "nb01": "nb01", "nb02": "nb02"}
    assert t.index("start", "nb03") > t.index("end", "statistics")
    # while the statistics ran, the other worker did not wait: a notebook that needs nothing started
    assert t.index("start", "nb01") < t.index("end", "statistics")
    assert t.running_max == 2


def test_in_process_jobs_never_overlap_and_workers_bound_the_rest():
    t = Trace()
    jobs = [t.job("check", in_process=True), t.job("stats", in_process=True), t.job("release", in_process=True),
            t.job("a"), t.job("b"), t.job("c")]
    run_jobs(jobs, 3)
    assert t.in_process_max == 1
    assert t.running_max <= 3


def test_one_worker_runs_in_list_order_among_ready_jobs():
    t = Trace()
    jobs = [t.job("x", seconds=0.01), t.job("y", after=("z",), seconds=0.01), t.job("z", seconds=0.01)]
    run_jobs(jobs, 1)
    assert [name for kind, name in t.events if kind == "start"] == ["x", "z", "y"]


def test_a_failing_job_is_raised_after_the_others_finished():
    t = Trace()
    jobs = [t.job("bad", error=RuntimeError("statistics broke")), t.job("after_bad", after=("bad",)), t.job("other")]
    with pytest.raises(RuntimeError, match="statistics broke"):
        run_jobs(jobs, 2)
    started = {name for kind, name in t.events if kind == "end"}
    assert started == {"bad", "after_bad", "other"}


def test_a_bad_job_list_is_refused_before_anything_runs():
    t = Trace()
    with pytest.raises(ValueError, match="unknown"):
        run_jobs([t.job("a", after=("missing",))], 2)
    with pytest.raises(ValueError, match="repeated"):
        run_jobs([t.job("a"), t.job("a")], 2)
    assert t.events == []


def test_progress_advances_once_per_job():
    class Bar:
        done = 0

        def advance(self):
            self.done += 1

    t = Trace()
    bar = Bar()
    run_jobs([t.job("a"), t.job("b", after=("a",)), t.job("c")], 2, progress=bar)
    assert bar.done == 3


def test_notebooks_that_read_the_statistics_are_found_from_their_source(tmp_path):
    uses = tmp_path / "uses.py"
    uses.write_text("stats = nb.statistics(dict(seed=1))\n", encoding="utf-8")
    check = tmp_path / "check.py"
    check.write_text("cv = nb.theme_check(path, seed=1, n_repeats=2)\n", encoding="utf-8")
    plain = tmp_path / "plain.py"
    plain.write_text("tables = nb.load(cities)\n", encoding="utf-8")
    assert needs_statistics(uses) and needs_statistics(check)
    assert not needs_statistics(plain)
