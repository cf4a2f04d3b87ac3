"""The worker boundary against code that owns its whole process (issue 11): every limit is the
grader's own. Calls end at their deadline however the worker trickles, stalls or closes its
output; messages over their cap, too deep or answering no request end the worker; the reference
cell never runs on shapes a correct caller would not pass; the whole tree's memory is bounded
(cgroup or the zygote's monitor) with status `memory`; and nothing a worker leaves in a keyring,
message queue, /dev/shm or an abstract socket reaches the next worker or outlives the grader.
Expected statuses: each fixture's `# expect:` header (tests/submissions/README.md)."""
from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.core.grading import grade_source
from autograder.sandbox import isolate
from autograder.sandbox.zygote_client import DEFAULT_UID_BASE, Sandbox
from tests.core.test_submission_outcomes import CONFIG, REPO, fixture_config
from tests.sandbox.probes import SLOT, open_probe
from tests.test_submission_fixtures import fixture, parse_header, submission_source

TIME_ATTACKS = ("hostile_trickle_reply.py", "hostile_close_output_then_sleep.py", "hostile_unread_callback_flood.py")
MEMORY_ATTACKS = ("hostile_memory_in_children.py", "hostile_memfd_hoard.py")
GRADER_ATTACKS = ("hostile_callback_outer_shapes.py", "hostile_padded_reply_header.py", "hostile_deep_json_reply.py",
                  "hostile_unsolicited_reply.py")
MARGIN = 3.0  # seconds beyond a submission's limits: start-up, the kill and the sweep
FULL = {"q1": 10.0, "q2": 10.0, "q3": 20.0, "q4": 30.0, "q5": 30.0, "q6": 5.0, "q7": 10.0, "q8": 10.0,
        "q9": 10.0, "q10": 10.0, "q11": 20.0, "q12": 20.0, "q13": 15.0, "q14": 15.0}  # the points table of README.md


@pytest.fixture
def sandbox():
    sandbox = Sandbox(slot=SLOT)
    yield sandbox
    sandbox.close()


def _expected(name: str) -> dict[str, str]:
    return parse_header(fixture(name))[0]


def _assert_graded_as_declared(name: str, result) -> None:
    got = {q: r.status for q, r in result.questions.items()}
    assert got == _expected(name), {q: r.cases[0].message for q, r in result.questions.items() if r.status != "ok"}
    for q, status in _expected(name).items():  # the other questions keep every point
        assert result.questions[q].score == (FULL[q] if status == "ok" else 0.0), q


@pytest.mark.parametrize("name", TIME_ATTACKS)
def test_a_call_ends_at_its_deadline(sandbox: Sandbox, name: str) -> None:
    """One deadline per call, on the grader's clock: the attacked question times out after its
    call limit, the submission's wall time stays within its limit (plus a margin)."""
    config = CONFIG.with_overrides(submission_timeout=15.0)
    start = time.monotonic()
    result = grade_source(submission_source(fixture(name)).decode(), config=config, sandbox=sandbox)
    wall = time.monotonic() - start
    _assert_graded_as_declared(name, result)
    timeouts = sum(status == "timeout" for status in _expected(name).values())
    assert wall <= min(config.submission_timeout, timeouts * config.call_timeout + 8.0) + MARGIN, wall


@pytest.mark.parametrize("memory", ["auto", "monitor"])
@pytest.mark.parametrize("isolation", ["auto", "none"])
@pytest.mark.parametrize("name", MEMORY_ATTACKS)
def test_the_whole_tree_is_bounded(name: str, isolation: str, memory: str) -> None:
    """memory_mb bounds the worker and everything it starts together, memfd files included, with
    a memory group where one can be made and with the zygote's monitor (forced here)."""
    sandbox = Sandbox(slot=SLOT, memory=memory)
    try:
        config = fixture_config(fixture(name)).with_overrides(isolation=isolation)
        result = grade_source(submission_source(fixture(name)).decode(), config=config, sandbox=sandbox)
        mechanism = sandbox.memory
    finally:
        sandbox.close()
    _assert_graded_as_declared(name, result)
    if memory == "monitor":
        assert mechanism == "monitor"
    elif os.geteuid() == 0 and Path("/sys/fs/cgroup").is_dir():
        assert mechanism.startswith("cgroup"), mechanism  # root on a Linux with a memory controller


GRADER_SCRIPT = """
import json, sys
from autograder.core.grading import grade_source
from tests.core.test_submission_outcomes import CONFIG
source = open(sys.argv[1]).read()
result = grade_source(source, config=CONFIG)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
print(json.dumps({"statuses": {q: r.status for q, r in result.questions.items()},
                  "peak_kb": int(status["VmHWM"].split()[0])}))
"""


@pytest.mark.parametrize("name", ["correct_loops.py", *GRADER_ATTACKS])
def test_the_grading_process_stays_small(name: str, tmp_path: Path) -> None:
    """Measured: the peak resident memory of a grading process (alone, in a fresh interpreter)
    grading each attack on the grader's parser and reference stays near that of grading a correct
    submission (before: 1.2 GB for the outer-product callback, 1.5 GB for the padded header), and
    the row keeps the other questions' points (before: a RecursionError made it a grader error)."""
    source = tmp_path / "rnn.py"
    source.write_bytes(submission_source(fixture(name)))
    run = subprocess.run([sys.executable, "-c", GRADER_SCRIPT, str(source)], cwd=REPO, capture_output=True,
                         text=True, timeout=180, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["statuses"] == parse_header(fixture(name))[0]
    assert report["peak_kb"] < 300 * 1024, report  # a correct submission: about 120 MB here


@pytest.mark.parametrize("isolation", ["auto", "none"])
def test_nothing_is_left_for_the_next_worker(isolation: str) -> None:
    """Keys (user, user-session, session and persistent keyrings), message queues, /dev/shm files
    and abstract sockets: the next worker of the slot finds none, nor does a worker of the next
    grader with the same slot."""
    uid = DEFAULT_UID_BASE + SLOT if os.geteuid() == 0 else os.getuid()
    config = CONFIG.with_overrides(isolation=isolation, max_processes=8)
    try:
        sandbox = Sandbox(slot=SLOT)
        try:
            first = open_probe(sandbox, config)
            left = first.call("leave_channels", [])
            level = sandbox.isolation
            first.close()
            second = open_probe(sandbox, config)
            found = second.call("find_channels", [])
            second.close()
        finally:
            sandbox.close()
        later = Sandbox(slot=SLOT)
        try:
            third = open_probe(later, config)
            found_later = third.call("find_channels", [])
            third.close()
        finally:
            later.close()
    finally:
        _remove_probe_objects(uid)
    assert left.get("keys", [True])[0] and left["abstract"] == "bound", left  # the attempts were real
    assert left["mqueue"] != "created"  # RLIMIT_MSGQUEUE 0: no queue at all
    for what in (found, found_later):
        if os.geteuid() != 0 and level == "none":  # the user's own keyrings are not the grader's to empty
            what.pop("keys", None)
        assert not any(v for value in what.values() for v in (value if isinstance(value, list) else [value])), what


def _remove_probe_objects(uid: int) -> None:
    """Whatever the probe may have left if the sandbox failed: its /dev/shm file, its message
    queue, its keys (as root)."""
    try:
        os.unlink("/dev/shm/rnn-probe-shm")
    except OSError:
        pass
    ctypes.CDLL(None).mq_unlink(b"/rnn-probe-queue")
    if os.geteuid() == 0:
        isolate.empty_keyrings_of(uid)
