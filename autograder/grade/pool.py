"""N grading processes (autograder.grade.runner), each with its own sandbox slot, fed one
submission at a time; results come back to this process, which alone records them.

A grading process that dies, hangs or reports an internal error gets its submission retried once
in a fresh process; only if that fails too is the submission recorded as crashed ("grader error").
This process never blocks on a runner: answers are read as they come (a partial line waits in a
buffer, never in a blocking read), tasks are written with a deadline, and a runner that has not
answered within its submission's limits plus a grace period is replaced.
"""
from __future__ import annotations

import json
import os
import select
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

from autograder.config import PACKAGE_DIR, GraderConfig
from autograder.core.grading import unreadable_result
from autograder.core.results import SubmissionResult
from autograder.grade.inputs import Submission

RUNNER = (sys.executable, "-m", "autograder.grade.runner")
RETRIES = 1
GRACE_SECONDS = 30.0  # beyond the submission's own time limits, before a runner counts as hung
WRITE_SECONDS = 5.0  # for a runner to take a task off its pipe


@dataclass
class _Slot:
    index: int
    process: subprocess.Popen
    task: tuple[Submission, int] | None = None  # (submission, attempt)
    started: float = 0.0
    pending: bytes = b""  # the start of an answer line not complete yet


def _parse(line: bytes) -> dict:
    """One answer line; {} for the end of the stream, a torn line or garbage."""
    if not line.endswith(b"\n"):
        return {}
    try:
        answer = json.loads(line)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _lines(slot: _Slot) -> list[bytes]:
    """The complete answer lines the runner of `slot` has written so far ([b""] at its end)."""
    try:
        chunk = os.read(slot.process.stdout.fileno(), 1 << 20)
    except BlockingIOError:
        return []
    if not chunk:
        return [b""]
    *lines, slot.pending = (slot.pending + chunk).split(b"\n")
    return [line + b"\n" for line in lines]


def grader_error(submission: Submission, detail: str) -> SubmissionResult:
    return unreadable_result(submission.name, "crashed", f"grader error: {detail}")


class GradingPool:
    """`jobs` runner processes; `run` grades a list of submissions and calls `on_result` for
    each, in completion order."""

    def __init__(self, *, jobs: int, config: GraderConfig, hidden: list[str],
                 runner: Sequence[str] = RUNNER) -> None:
        self.jobs, self.config, self.hidden, self.runner = max(1, jobs), config, hidden, list(runner)
        self.hang_after = config.submission_timeout + config.import_timeout + GRACE_SECONDS
        self._selector = selectors.DefaultSelector()
        self._slots: list[_Slot] = []

    def _spawn(self, index: int) -> _Slot:
        settings = {"slot": index, "hidden": self.hidden,
                    "config": asdict(self.config)}
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_DIR.parent),
                                                                          os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen([*self.runner, json.dumps(settings)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)
        os.set_blocking(process.stdout.fileno(), False)
        slot = _Slot(index, process)
        self._selector.register(process.stdout, selectors.EVENT_READ, slot)
        return slot

    def _retire(self, slot: _Slot) -> None:
        try:
            self._selector.unregister(slot.process.stdout)
        except (KeyError, ValueError):  # already retired
            pass
        if slot.process.poll() is None:
            slot.process.kill()
        slot.process.wait()
        for stream in (slot.process.stdin, slot.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def _send(self, slot: _Slot, task: tuple[Submission, int]) -> bool:
        submission = task[0]
        slot.task, slot.started = task, time.monotonic()
        line = (json.dumps({"name": submission.name, "path": str(submission.path)}) + "\n").encode()
        fd, deadline = slot.process.stdin.fileno(), time.monotonic() + WRITE_SECONDS
        try:
            while line:
                if not select.select([], [fd], [], max(0.0, deadline - time.monotonic()))[1]:
                    return False
                line = line[os.write(fd, line[:select.PIPE_BUF]):]  # at most PIPE_BUF: never blocks when writable
            return True
        except OSError:
            return False

    def run(self, submissions: list[Submission],
            on_result: Callable[[Submission, SubmissionResult], None]) -> None:
        queue: deque[tuple[Submission, int]] = deque((s, 0) for s in submissions)
        remaining = len(queue)
        self._slots = [self._spawn(i) for i in range(min(self.jobs, remaining))]

        def failed(slot: _Slot, detail: str) -> None:
            """The runner of `slot` broke: retry its task elsewhere or record it; replace the runner."""
            nonlocal remaining
            submission, attempt = slot.task
            if attempt < RETRIES:
                queue.appendleft((submission, attempt + 1))
            else:
                on_result(submission, grader_error(submission, detail))
                remaining -= 1
            self._retire(slot)
            self._slots[self._slots.index(slot)] = self._spawn(slot.index)

        try:
            while remaining:
                for slot in list(self._slots):
                    if slot.task is None and queue and not self._send(slot, queue.popleft()):
                        failed(slot, "the grading process stopped")
                for key, _ in self._selector.select(timeout=1.0):
                    slot = key.data
                    for line in _lines(slot):
                        answer = _parse(line)
                        if slot.task is None:  # ended (or spoke) while idle: replace it
                            self._retire(slot)
                            self._slots[self._slots.index(slot)] = self._spawn(slot.index)
                            break
                        if answer.get("name") != slot.task[0].name:
                            failed(slot, "the grading process stopped")
                            break
                        if "error" in answer:
                            failed(slot, str(answer["error"]).strip().splitlines()[-1])
                            break
                        submission, slot.task = slot.task[0], None
                        on_result(submission, SubmissionResult.from_json(answer["result"]))
                        remaining -= 1
                now = time.monotonic()
                for slot in list(self._slots):
                    if slot.task is not None and now - slot.started > self.hang_after:
                        failed(slot, f"no result within {self.hang_after:g} s")
        finally:
            self.close()

    def close(self) -> None:
        """Stop every runner (SIGTERM lets it close its sandbox), then make sure they are gone."""
        for slot in self._slots:
            if slot.process.poll() is None:
                slot.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        for slot in self._slots:
            try:
                slot.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            self._retire(slot)
        self._slots = []
