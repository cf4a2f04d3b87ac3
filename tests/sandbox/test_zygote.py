"""The zygote stays lean (every fork copies the page tables of what it has loaded). Its clean-up: without namespaces (forced "none", as on macOS) everything a worker
started, setsid daemons included, is killed when it ends; fixtures that are safe without a PID
namespace get their declared statuses; nothing is left in the temporary directory."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.core.grading import grade_source, grade_submission
from autograder.sandbox.session import SubmissionProcess
from autograder.sandbox.zygote_client import DEFAULT_UID_BASE, Sandbox, default_hidden_paths
from tests.core.test_submission_outcomes import CONFIG
from tests.sandbox.probes import SLOT, alive, end_with, open_probe, settled
from tests.sandbox.probes import CONFIG as PROBE_CONFIG
from tests.test_submission_fixtures import REFERENCE, fixture, parse_header, submission_source

NONE = CONFIG.with_overrides(isolation="none")
# Fixtures whose processes stay within the worker's own session and lifetime when contained only
# by limits and the sweep (none is `# sandbox-only`).
SAFE_WITHOUT_NAMESPACES = ("hostile_busy_loop_in_rnn_backward.py", "hostile_os_exit_in_rnn_backward.py",
                           "hostile_sigkill_self_in_rnncell.py", "hostile_sleep_in_cell_forward.py",
                           "hostile_os_exit_at_import.py", "hostile_ignore_signals_then_loop.py")


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _workers(sandbox: Sandbox) -> set[int]:
    """Every process below the zygote (the launcher's one child)."""
    launcher = sandbox._zygote.pid
    zygotes = [p for p in _descendants(launcher) if _parent(p) == launcher]
    return set().union(*map(_descendants, zygotes))


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


@pytest.fixture
def sandbox():
    sandbox = Sandbox(slot=SLOT)
    yield sandbox
    sandbox.close()


@pytest.mark.parametrize("how,status", [("hang", "timeout"), ("die", "crashed")])
def test_sweep_kills_children_and_setsid_daemons(sandbox: Sandbox, how: str, status: str) -> None:
    # Room to spare: as an ordinary user the user's other tasks (parallel tests) count too.
    process = open_probe(sandbox, PROBE_CONFIG.with_overrides(isolation="none", max_processes=64))
    spawned = process.call("spawn", [2, 2, 60])  # with the worker and two short-lived parents: 7
    assert sandbox.isolation == "none" and len(alive(spawned)) == 4
    assert end_with(process, how) == status
    assert alive(spawned) == []  # gone by the time the grader hears the worker has ended


def _tasks_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"Uid:\t{uid}\t" in (entry / "status").read_text():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("how,status", [("hang", "timeout"), ("die", "crashed"), ("close", "ok")])
def test_everything_a_worker_started_ends_with_it(sandbox: Sandbox, how: str, status: str) -> None:
    """With namespaces: children and setsid daemons of a worker are killed when it times out,
    dies, or is simply closed at the end of its submission (seen from outside, by its uid)."""
    if os.geteuid() != 0:
        pytest.skip("as root only: workers then have a uid of their own to find them by")
    process = open_probe(sandbox, PROBE_CONFIG.with_overrides(max_processes=16))
    assert len(process.call("spawn", [2, 2, 60])) == 4
    if sandbox.isolation == "none":
        pytest.skip("no namespaces here: see test_sweep_kills_children_and_setsid_daemons")
    uid = DEFAULT_UID_BASE + SLOT
    assert len(_tasks_of(uid)) >= 5  # the worker, what it started (and the daemons' exited parents)
    if how == "close":
        process.close()
    else:
        assert end_with(process, how) == status
    assert settled(lambda: _tasks_of(uid)) == []


def test_safe_fixtures_without_namespaces(sandbox: Sandbox, tmp_path: Path) -> None:
    for name in ("correct_loops.py", *SAFE_WITHOUT_NAMESPACES):
        path = fixture(name)
        submission = tmp_path / name / "rnn.py"
        submission.parent.mkdir()
        submission.write_bytes(submission_source(path))
        result = grade_submission(submission, config=NONE, sandbox=sandbox, hidden=[str(tmp_path)])
        assert sandbox.isolation == "none"
        assert {q: r.status for q, r in result.questions.items()} == parse_header(path)[0], name
        assert settled(lambda: _workers(sandbox)) == set(), name


@pytest.mark.parametrize("isolation", ["auto", "none"])
def test_no_directory_is_left(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolation: str) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the sandbox makes its base
    sandbox = Sandbox(slot=SLOT)
    try:
        result = grade_source(REFERENCE.read_text(), config=CONFIG.with_overrides(isolation=isolation),
                              sandbox=sandbox)
    finally:
        sandbox.close()
    assert result.score == result.max_score
    assert settled(lambda: os.listdir(tmp_path)) == []


def test_zygote_loads_nothing_it_does_not_need() -> None:
    """Beyond numpy (numpy.random included), the zygote holds only the worker's own modules: each
    module more (shutil brings bz2 and lzma) adds mappings that every fork of it copies."""
    code = ("import sys, numpy; before = set(sys.modules); import autograder.sandbox.zygote; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                cwd=Path(__file__).resolve().parents[2]).stdout.split())
    assert {"autograder.sandbox.worker", "numpy.random"} <= loaded  # numpy.random: notebook test cells
    assert not loaded & {"shutil", "tempfile", "subprocess", "importlib.resources", "bz2", "lzma",
                         "otter", "autograder.core.grading", "solutions.rnn"}, sorted(loaded)


COUNTED = "loads = 1\ndef compiled_here():\n    return loads\n"


def _process(sandbox: Sandbox, source: str) -> SubmissionProcess:
    return SubmissionProcess(sandbox, source, config=PROBE_CONFIG, hidden=default_hidden_paths())


def test_later_workers_load_the_first_ones_code(sandbox: Sandbox) -> None:
    """The code compiled by the first worker is what a fresh one runs (not compiled again), and
    it is the submission's: the same answers as from the source."""
    process = _process(sandbox, COUNTED)
    try:
        assert process.call("compiled_here", []) == 1
        code = marshal.loads(process._compiled)
        assert code.co_filename == "submission.py" and "compiled_here" in code.co_names
        # stands in for the first worker's code: a later worker must run exactly these bytes
        process._compiled = marshal.dumps(compile(COUNTED.replace("loads = 1", "loads = 2"), "submission.py", "exec"))
        process.fresh_worker(process.output)
        assert process.call("compiled_here", []) == 2
    finally:
        process.close()


def test_no_code_is_taken_from_a_worker_after_a_fresh_one(sandbox: Sandbox) -> None:
    """What a worker that may have seen hidden inputs sends back never reaches a later worker."""
    process = _process(sandbox, COUNTED)
    try:
        process.fresh_worker(process.output)  # e.g. the hidden cases' worker comes next
        assert process.call("compiled_here", []) == 1
        assert process._compiled is None
    finally:
        process.close()


def test_bytes_that_are_no_code_are_compiled_from_the_source(sandbox: Sandbox) -> None:
    process = _process(sandbox, COUNTED)
    try:
        process._compiled = b"\x00 not marshal data"
        assert process.call("compiled_here", []) == 1
    finally:
        process.close()
