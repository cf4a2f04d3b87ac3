"""A submission loaded in the sandbox, as the grading core uses it: functions to call (with the
callbacks a question allows), objects its classes made, and whole cases run in one request.

A worker is started on first use and again after one ended (a timeout, a crash: see channel.py),
importing the submission each time, all within the submission's own time limit."""
from __future__ import annotations

import time
from typing import Any, Callable

from autograder.config import GraderConfig
from autograder.sandbox import wire
from autograder.sandbox.case_batch import EncodedCases, outcomes
from autograder.sandbox.channel import WorkerChannel
from autograder.sandbox.errors import LOAD_STATUSES, StudentError, reported
from autograder.sandbox.output import Output
from autograder.sandbox.program import Program
from autograder.sandbox.proxies import RemoteObject, remote_class
from autograder.sandbox.zygote_client import Sandbox

_ENCODED = EncodedCases()  # shared by the submissions a process grades (see EncodedCases)


class SubmissionProcess:
    """A submission loaded in a worker, restarted as needed, within the submission's time limit."""

    def __init__(self, sandbox: Sandbox, source: str, *, config: GraderConfig, hidden: list[str],
                 program: Program = Program()) -> None:
        self.sandbox, self.source, self.config, self.hidden = sandbox, source, config, hidden
        self.program = program
        self.deadline = time.monotonic() + config.submission_timeout
        self.output = Output(config.output_limit)
        self.load_error: StudentError | None = None
        self.warnings: list[str] = []
        self._worker: WorkerChannel | None = None
        self._generation = 0
        self.answer_bytes = 0  # how large one legitimate answer is (see expect_answers)
        # The first workers' compiled code, which later ones load instead of compiling the source
        # again: only from workers before the first fresh_worker, so that nothing flows back from
        # a worker that saw hidden inputs (the bytes are the submission's, passed on unread).
        self._compiled: bytes | None = None
        self._sealed = False

    def expect_answers(self, nbytes: int) -> None:
        """From now on, one answer (a call's, or one case's outputs) legitimately takes about
        `nbytes` bytes: the cap of every message from the worker follows from it."""
        self.answer_bytes = nbytes

    def _time_left(self, limit: float) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise StudentError("timeout", f"the submission used up its {self.config.submission_timeout:g} s")
        return min(limit, left)

    def _ensure(self) -> WorkerChannel:
        if self.load_error is not None:
            raise self.load_error
        if self._worker is not None and self._worker.alive:
            return self._worker
        self._retire()
        self._worker = self.sandbox.open_worker(config=self.config, hidden=self.hidden, program=self.program)
        self._worker.output = self.output
        self._generation += 1
        try:
            reply = self._worker.request({"op": "load", "source": self.source},
                                         wire.Encoded(None, (self._compiled,)) if self._compiled else None,
                                         timeout=self._time_left(self.config.import_timeout))
        except StudentError as e:
            self.load_error = StudentError(e.status, f"while importing your file: {e}")
            raise self.load_error from None
        if not self._sealed and self._compiled is None and type(reply.get("compiled")) is bytes:
            self._compiled = reply["compiled"]
        if reply.get("status") != "ok":
            self.load_error = reported(reply.get("status"), reply.get("message", ""), LOAD_STATUSES, "crashed")
            raise self.load_error
        if reply.get("warning") and str(reply["warning"]) not in self.warnings:
            self.warnings.append(str(reply["warning"])[:500])
        return self._worker

    def _handle(self, generation: int, methods: tuple[str, ...]) -> Callable[[int], RemoteObject]:
        kind = remote_class(methods)
        return lambda ref: kind(self, ref, generation)

    def call(self, name: str, args: list[Any], callbacks: dict[str, Callable] | None = None,
             methods: tuple[str, ...] = ()) -> Any:
        """`name(*args)` in the worker; an object it returns stays there, callable through `methods`."""
        worker = self._ensure()
        return worker.request({"op": "call", "name": name, "callbacks": sorted(callbacks or {})}, args,
                              timeout=self._time_left(self.config.call_timeout), callbacks=callbacks,
                              handle=self._handle(self._generation, methods), answer_bytes=self.answer_bytes)

    def on_object(self, obj: RemoteObject, op: str, name: str, args: list[Any] | None) -> Any:
        worker = self._ensure()
        if obj._generation != self._generation:
            raise StudentError("crashed", "the object was lost when the worker restarted")
        return worker.request({"op": op, "handle": obj._handle, "name": name}, args,
                              timeout=self._time_left(self.config.call_timeout),
                              handle=self._handle(self._generation, obj._methods),
                              answer_bytes=self.answer_bytes)

    def run_cases(self, driver: str, name: str, cases: dict[str, dict[str, Any]],
                  callbacks: dict[str, Callable] | None = None) -> list[Any]:
        """The program's `driver` run with the submission's `name` on every case (id -> inputs)
        in one request (within one call's time limit): per case, its outputs or a StudentError."""
        try:
            worker = self._ensure()
            answer = worker.request({"op": "run", "driver": driver, "name": name,
                                     "callbacks": sorted(callbacks or {})}, _ENCODED(driver, cases),
                                    timeout=self._time_left(self.config.call_timeout), callbacks=callbacks,
                                    answer_bytes=self.answer_bytes * len(cases))
        except StudentError as e:
            return [e] * len(cases)
        return outcomes(answer, len(cases))

    def function(self, name: str, callbacks: dict[str, Callable] | None = None,
                 methods: tuple[str, ...] = ()) -> Callable[..., Any]:
        """A stand-in for the submission's `name` (a class: its objects answer `methods`)."""
        def proxy(*args: Any) -> Any:
            return self.call(name, list(args), callbacks, methods)
        proxy.__name__ = name
        return proxy

    def _retire(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    def switch_output(self, output: Output) -> None:
        """The worker goes on, its printed output from now on going to `output` (what it printed
        so far stays with the current one): for requests that must not show what they print
        where the earlier ones did. Its compiled code is no longer handed to later workers."""
        if self._worker is not None and self._worker.alive:
            self._worker.switch_output(output)
        self._sealed = True
        self.output = output

    def fresh_worker(self, output: Output) -> None:
        """End the current worker and everything it started; the next request imports the
        submission in a new one, whose printed output goes to `output`. What a worker learnt
        (a hidden case's inputs) goes no further than its own answers."""
        self._retire()
        self._sealed = True
        self.output = output

    def close(self) -> str:
        """End the worker (and all it started); return the captured output."""
        self._retire()
        return self.output.text()
