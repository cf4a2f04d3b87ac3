"""The grader's side of the sandbox: a zygote per grading process, a worker per submission, and
proxies that make the submission's functions callable from the otter test files.

Every call has one deadline on the grader's clock, set when it starts (and never later than the
submission's own): every read and write of the call uses what is left of it. Every message from the
worker is capped in size (from the answer's legitimate size), checked in depth and must answer the
request in progress. On a timeout, a protocol violation, the worker's death or its tree exceeding
its memory, the zygote SIGKILLs the worker and everything it started (see zygote.py) and the call
ends with a status (`timeout`, `crashed`, `memory`); the next call gets a fresh worker that imports
the submission again.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Callable

from autograder.config import PACKAGE_DIR, GraderConfig
from autograder.sandbox import isolate, memory, wire

SIGNALS = {signal.SIGXCPU: "timeout", signal.SIGKILL: "crashed", signal.SIGXFSZ: "crashed"}
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS")
DEFAULT_UID_BASE = 61000  # dedicated uids for workers when the grader runs as root
# A message from a worker may be this large beyond ANSWER_FACTOR times the legitimate answer it
# carries (an import's reply, an error message, a wrong answer of a slightly wrong shape).
MESSAGE_SLACK = 1 << 20
ANSWER_FACTOR = 16
ZYGOTE_TIMEOUT = 5.0  # seconds for the zygote to take a request or report a worker's end


def message_limits(answer_bytes: int) -> dict[str, int]:
    """The caps of one message that carries an answer of about `answer_bytes` legitimate bytes:
    the whole message, and its JSON header (which grows with the number of values, not their size)."""
    limit = MESSAGE_SLACK + ANSWER_FACTOR * max(0, answer_bytes)
    return {"limit": limit, "header_limit": (64 << 10) + limit // 16}


class StudentError(Exception):
    """A call into the submission did not return an answer: `status` says why (see results.STATUSES)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


class RefusedArguments(Exception):
    """Raised by a callback whose arguments no correct caller would pass: the callback does not
    run, and the request it came in ends as a wrong answer with this message."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int
    cpu_seconds: int
    max_file_mb: int
    max_processes: int


def clean_env() -> dict[str, str]:
    """The zygote's whole environment: no secrets, one BLAS thread, the package importable."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent",
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(PACKAGE_DIR.parent)}
    env.update({name: "1" for name in THREAD_VARS})
    # Some CPUs need these for OpenBLAS to compute correctly at all.
    env.update({k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ})
    return env


def default_hidden_paths() -> list[str]:
    """The grading packages themselves: workers see only the OS and the Python installation, and
    these may be installed inside it (site-packages)."""
    return [str(PACKAGE_DIR), str(PACKAGE_DIR.parent / "solutions")]


class Sandbox:
    """One zygote, started on first use; `open_worker` forks an isolated worker from it."""

    def __init__(self, *, slot: int = 0, memory: str = "auto") -> None:
        """`memory`: "auto" (a memory group where one can be made) or "monitor" (the zygote's
        monitor only: forced to test that fallback)."""
        self.uid, self._memory_mode = DEFAULT_UID_BASE + slot, memory
        self._zygote: subprocess.Popen | None = None  # its launcher: the zygote dies with it
        self._mode = ""  # the isolation setting it was started with
        self._sock: socket.socket | None = None
        self._base: str | None = None  # an empty directory the workers' roots are mounted on
        self.isolation = "unknown"
        self.memory = "unknown"  # how its workers' trees are bounded (memory.py)

    def start(self, mode: str) -> None:
        """Start the zygote now (isolation setting `mode`) rather than at the first worker."""
        if self._zygote is None:
            self._start(mode)

    def _start(self, mode: str) -> None:
        self._base, self._mode = tempfile.mkdtemp(prefix="rnn-sandbox-"), mode
        atexit.register(self.close)  # a grading process that simply ends leaves nothing behind
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._zygote = subprocess.Popen(
            [sys.executable, "-B", "-m", "autograder.sandbox.launch", str(theirs.fileno()), mode, self._memory_mode],
            pass_fds=[theirs.fileno()], env=clean_env(), cwd="/",
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        theirs.close()
        ours.settimeout(ZYGOTE_TIMEOUT)
        self._sock = ours

    def open_worker(self, *, config: GraderConfig, hidden: list[str]) -> "WorkerProcess":
        if self._zygote is None or self._zygote.poll() is not None or self._mode != config.isolation:
            self.close()
            self._start(config.isolation)
        ctl, ctl_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_r, out_w = os.pipe()
        status_r, status_w = os.pipe()
        request = {
            "uid": self.uid, "base": self._base, "hidden": hidden, "forbidden": list(config.forbidden_imports),
            "limits": vars(Limits(config.memory_mb, config.cpu_seconds, config.max_file_mb, config.max_processes)),
        }
        try:
            socket.send_fds(self._sock, [json.dumps(request).encode()], [ctl_child.fileno(), out_w, status_w])
        finally:
            ctl_child.close()
            os.close(out_w)
            os.close(status_w)
        worker = WorkerProcess(ctl, out_r, status_r, output_limit=config.output_limit, kill=self._kill)
        self.isolation, self.memory = worker.isolation, worker.memory
        return worker

    def _kill(self, pid: int) -> None:
        """Ask the zygote to SIGKILL worker `pid` (it sweeps, then reports on the status pipe)."""
        try:
            self._sock.send(json.dumps({"kill": pid}).encode())
        except (OSError, AttributeError):  # the zygote is gone, and its workers with it
            pass

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()  # the zygote ends its worker and leaves
            self._sock = None
        if self._zygote is not None:
            try:
                self._zygote.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
                self._zygote.wait()
            self._zygote = None
        if self._base is not None:
            shutil.rmtree(self._base, ignore_errors=True)
            self._base = None


class Output:
    """What a submission printed: the first `limit` bytes kept, the rest only counted."""

    def __init__(self, limit: int) -> None:
        self.limit, self.kept, self.dropped = limit, bytearray(), 0

    def add(self, data: bytes) -> None:
        room = max(0, self.limit - len(self.kept))
        self.kept += data[:room]
        self.dropped += max(0, len(data) - room)

    def text(self) -> str:
        text = self.kept.decode("utf-8", "replace")
        return text + (f"\n… [{self.dropped} more bytes of output dropped]" if self.dropped else "")


class WorkerProcess:
    """One running worker: requests with deadlines, its captured output, and its end."""

    def __init__(self, ctl: socket.socket, out_fd: int, status_fd: int, *, output_limit: int,
                 kill: Callable[[int], None]) -> None:
        self.ctl, self.out_fd, self.status_fd, self._kill = ctl, out_fd, status_fd, kill
        self.output = Output(output_limit)
        self.alive, self.ended, self.answered = True, None, False
        self._status_buf = b""
        self._serial = 0  # the id of the last request: every message from the worker must carry it
        self.pid, self.isolation = 0, "none"
        first = self._status_message(deadline=time.monotonic() + 10)
        if first is None or type(first.get("pid")) is not int or first["pid"] <= 1:
            self.alive = False
            self.close()
            raise StudentError("crashed", "the sandbox could not start a worker")
        self.pid, self.isolation = first["pid"], str(first.get("isolation"))
        self.memory = str(first.get("memory"))  # the mechanism that bounds its tree's memory
        self._group = first.get("group") if type(first.get("group")) is str else None
        self._limit = first.get("limit") if type(first.get("limit")) is int else 0

    def _status_message(self, deadline: float) -> dict | None:
        while b"\n" not in self._status_buf:
            ready, _, _ = select.select([self.status_fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(self.status_fd, 4096)
            if not chunk:
                return None
            self._status_buf += chunk
        line, self._status_buf = self._status_buf.split(b"\n", 1)
        return json.loads(line)

    def _drain_output(self) -> None:
        while select.select([self.out_fd], [], [], 0)[0]:
            chunk = os.read(self.out_fd, 1 << 16)
            if not chunk:
                break
            self.output.add(chunk)

    def _died(self) -> StudentError:
        end = self._status_message(deadline=time.monotonic() + 5) or {}
        self.alive, self.ended = False, end
        self.close()
        sig = end.get("signal")
        if end.get("memory"):
            return StudentError("memory", f"your code and the processes it started used more than "
                                          f"{end['memory']} MB of memory together")
        if sig is not None:
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            status = SIGNALS.get(sig, "crashed")
            return StudentError(status, f"your code was stopped by {name}" + (
                " (CPU time limit)" if status == "timeout" else " (file size limit)" if sig == signal.SIGXFSZ else ""))
        if end.get("exit") == isolate.SETUP_FAILED and not self.answered:
            return StudentError("crashed", "the sandbox could not set up a worker for your code")
        return StudentError("crashed", f"your code ended the worker process (exit code {end.get('exit')}); "
                                       "don't call sys.exit/os._exit in a submission")

    def _over_memory(self) -> StudentError:
        self.kill()
        return StudentError("memory", "your code and the processes it started used more than the "
                                      "memory limit together")

    def kill(self) -> None:
        """SIGKILL the worker and everything it started. The zygote sweeps before it forks another
        worker; without a PID namespace this also waits for that sweep."""
        if self.alive and self.pid > 1:
            self._kill(self.pid)
            self.alive = False
            if self.isolation == "none":
                self._status_message(deadline=time.monotonic() + 5)
        self.close()

    def close(self) -> None:
        if self.out_fd >= 0:
            try:
                self._drain_output()
            finally:
                os.close(self.out_fd)
                os.close(self.status_fd)
                self.ctl.close()
                self.out_fd = self.status_fd = -1

    def request(self, header: dict[str, Any], args: list[Any] | wire.Encoded | None, *, timeout: float,
                callbacks: dict[str, Callable[..., Any]] | None = None,
                handle: Callable[[int], Any] | None = None, answer_bytes: int = 0) -> Any:
        """Send one request and wait for its answer, serving callbacks meanwhile, all within one
        deadline `timeout` seconds from now. `answer_bytes`: how large a legitimate answer is."""
        if not self.alive:
            raise StudentError("crashed", "the worker had already stopped")
        deadline = time.monotonic() + timeout
        self._serial += 1
        buffers: list[bytes] = []
        header = {**header, "id": self._serial}
        if isinstance(args, wire.Encoded):
            header, buffers = {**header, "args": args.tree}, list(args.buffers)
        elif args is not None:
            header = {**header, "args": wire.encode(args, buffers)}
        limits = message_limits(answer_bytes)
        refused: str | None = None
        try:
            if select.select([self.ctl], [], [], 0)[0]:
                raise wire.ProtocolError("a message that answers no request")
            wire.send(self.ctl, header, buffers, deadline=deadline)
            watched = [self.ctl, self.out_fd, self.status_fd]
            while True:
                left = deadline - time.monotonic()
                ready = select.select(watched, [], [], left)[0] if left > 0 else []
                if not ready:
                    raise wire.DeadlinePassed("no answer")
                if self.out_fd in ready:
                    chunk = os.read(self.out_fd, 1 << 16)
                    if chunk:
                        self.output.add(chunk)
                    else:  # the worker closed its output: nothing more to read there
                        watched.remove(self.out_fd)
                if self.status_fd in ready:
                    raise self._died()
                if self.ctl in ready:
                    reply, data = wire.receive(self.ctl, deadline=deadline, **limits)
                    if reply.get("id") != self._serial:
                        raise wire.ProtocolError("a message that answers no request")
                    self.answered = True
                    if reply.get("op") == "callback":
                        refused = self._serve_callback(reply, data, callbacks or {}, deadline) or refused
                        continue
                    if self._group is not None and memory.exceeded(self._group, self._limit):
                        raise self._over_memory()  # an answer from a tree over its limit is not taken
                    value = self._answer(reply, data, handle)
                    if refused is not None:
                        raise StudentError("failed", refused)
                    return value
        except wire.DeadlinePassed:
            if self.alive and select.select([self.status_fd], [], [], 0)[0]:
                raise self._died() from None  # it ended first (e.g. over its memory)
            self.kill()
            raise StudentError("timeout", f"no answer within {timeout:g} s (an infinite loop?)") from None
        except (wire.ProtocolError, OSError, ValueError) as e:
            if self.alive and select.select([self.status_fd], [], [], 0.5)[0]:
                raise self._died() from None
            self.kill()
            raise StudentError("crashed", f"the worker broke the grading protocol ({e})") from None

    def _serve_callback(self, reply: dict, data: list[bytes], callbacks: dict[str, Callable],
                        deadline: float) -> str | None:
        """Run the callback the worker asked for and send its result (or why it could not run).
        Returns the message that fails the request when the callback refused its arguments."""
        name = reply.get("name")
        callback = callbacks.get(name) if type(name) is str else None
        if callback is None:
            wire.send(self.ctl, {"op": "raise", "message": f"{str(name)[:80]} is not available here"},
                      deadline=deadline)
            return None
        args = wire.decode(reply.get("args"), data, strict=True)
        kwargs = wire.decode(reply.get("kwargs"), data, strict=True) or {}
        if type(args) is not list or type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
            raise wire.ProtocolError("callback arguments are not a list and a dict of names")
        try:
            value = callback(*args, **kwargs)
        except RefusedArguments as e:
            refused = f"{name} was called with arguments a correct caller never passes: {e}"[:500]
            wire.send(self.ctl, {"op": "raise", "message": refused}, deadline=deadline)
            return refused
        except Exception as e:  # the reference is trusted, its arguments are not
            wire.send(self.ctl, {"op": "raise", "message": f"the reference {name} could not run "
                                 f"on these arguments: {type(e).__name__}: {e}"[:500]}, deadline=deadline)
            return None
        buffers: list[bytes] = []
        wire.send(self.ctl, {"op": "return", "value": wire.encode(value, buffers)}, buffers, deadline=deadline)
        return None

    @staticmethod
    def _answer(reply: dict, data: list[bytes], handle: Callable[[int], Any] | None) -> Any:
        op = reply.get("op")
        if op == "return":
            return wire.decode(reply.get("value"), data, strict=True, handle=handle)
        if op == "raise":
            status = reply.get("status")
            status = status if status in ("failed", "not_implemented", "forbidden", "memory") else "failed"
            raise StudentError(status, str(reply.get("message", ""))[:500])
        if op == "loaded":
            return reply
        raise wire.ProtocolError(f"unexpected reply {op!r}")


_ENCODED: dict[tuple[str, tuple[str, ...]], tuple[list[Any], wire.Encoded]] = {}


def _encoded_cases(question: str, cases: dict[str, dict[str, Any]]) -> wire.Encoded:
    """The arguments of a "run" request, encoded once per process while the inputs are the same
    arrays: every submission gets the same public inputs (read-only), each its own hidden ones (the
    entry keeps the arrays it was made from, so that identity cannot be an id reused)."""
    key = (question, tuple(cases))
    arrays = [value for inputs in cases.values() for value in inputs.values()]
    known = _ENCODED.get(key)
    if known is None or len(known[0]) != len(arrays) or any(a is not b for a, b in zip(known[0], arrays)):
        _ENCODED[key] = (arrays, wire.Encoded.of([list(cases.values())]))
    return _ENCODED[key][1]


def _outcome(outcome: Any) -> Any:
    """One case's outputs, or the StudentError it ended with (outcomes come from the worker)."""
    if isinstance(outcome, StudentError):
        return outcome
    if isinstance(outcome, list) and len(outcome) == 2 and outcome[0] == "ok":
        return outcome[1]
    if isinstance(outcome, list) and len(outcome) == 3 and outcome[0] == "raise":
        status = outcome[1] if outcome[1] in ("failed", "not_implemented", "forbidden", "memory") else "failed"
        return StudentError(status, str(outcome[2])[:500])
    return StudentError("failed", "the worker's answer was malformed")


class RemoteObject:
    """An object that lives in the worker (an RNNCell instance): calls and attributes go there."""

    def __init__(self, process: "SubmissionProcess", handle: int, generation: int) -> None:
        self._process, self._handle, self._generation = process, handle, generation

    def __call__(self, *args: Any) -> Any:
        return self._process.on_object(self, "method", "__call__", list(args))

    def backward(self, *args: Any) -> Any:
        return self._process.on_object(self, "method", "backward", list(args))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._process.on_object(self, "getattr", name, None)


class SubmissionProcess:
    """A submission loaded in a worker, restarted as needed, within the submission's time limit."""

    def __init__(self, sandbox: Sandbox, source: str, *, config: GraderConfig, hidden: list[str]) -> None:
        self.sandbox, self.source, self.config, self.hidden = sandbox, source, config, hidden
        self.deadline = time.monotonic() + config.submission_timeout
        self.output = Output(config.output_limit)
        self.load_error: StudentError | None = None
        self.warnings: list[str] = []
        self._worker: WorkerProcess | None = None
        self._generation = 0
        self._prefetched: dict[tuple[str, str], Any] = {}
        self.answer_bytes = 0  # how large one legitimate answer is (see expect_answers)

    def expect_answers(self, nbytes: int) -> None:
        """From now on, one answer (a call's, or one case's outputs) legitimately takes about
        `nbytes` bytes: the cap of every message from the worker follows from it."""
        self.answer_bytes = nbytes

    def _time_left(self, limit: float) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise StudentError("timeout", f"the submission used up its {self.config.submission_timeout:g} s")
        return min(limit, left)

    def _ensure(self) -> WorkerProcess:
        if self.load_error is not None:
            raise self.load_error
        if self._worker is not None and self._worker.alive:
            return self._worker
        self._retire()
        self._worker = self.sandbox.open_worker(config=self.config, hidden=self.hidden)
        self._worker.output = self.output
        self._generation += 1
        try:
            reply = self._worker.request({"op": "load", "source": self.source}, None,
                                         timeout=self._time_left(self.config.import_timeout))
        except StudentError as e:
            self.load_error = StudentError(e.status, f"while importing your file: {e}")
            raise self.load_error from None
        if reply.get("status") != "ok":
            status = reply.get("status")
            status = status if status in ("syntax_error", "forbidden", "memory") else "crashed"
            self.load_error = StudentError(status, str(reply.get("message", ""))[:500])
            raise self.load_error
        if reply.get("warning") and str(reply["warning"]) not in self.warnings:
            self.warnings.append(str(reply["warning"])[:500])
        return self._worker

    def _handle(self, generation: int) -> Callable[[int], RemoteObject]:
        return lambda ref: RemoteObject(self, ref, generation)

    def call(self, name: str, args: list[Any], callbacks: dict[str, Callable] | None = None) -> Any:
        worker = self._ensure()
        return worker.request({"op": "call", "name": name, "callbacks": sorted(callbacks or {})}, args,
                              timeout=self._time_left(self.config.call_timeout), callbacks=callbacks,
                              handle=self._handle(self._generation), answer_bytes=self.answer_bytes)

    def on_object(self, obj: RemoteObject, op: str, name: str, args: list[Any] | None) -> Any:
        worker = self._ensure()
        if obj._generation != self._generation:
            raise StudentError("crashed", "the object was lost when the worker restarted")
        return worker.request({"op": op, "handle": obj._handle, "name": name}, args,
                              timeout=self._time_left(self.config.call_timeout),
                              handle=self._handle(self._generation), answer_bytes=self.answer_bytes)

    def prefetch(self, question: str, name: str, cases: dict[str, dict[str, Any]],
                 callbacks: dict[str, Callable] | None = None) -> None:
        """Run the case drivers of all `cases` (id -> inputs) of a question in the worker in one
        round trip (within one call's time limit); `run` then answers from what came back."""
        try:
            worker = self._ensure()
            outcomes = worker.request({"op": "run", "question": question, "name": name,
                                       "callbacks": sorted(callbacks or {})}, _encoded_cases(question, cases),
                                      timeout=self._time_left(self.config.call_timeout), callbacks=callbacks,
                                      answer_bytes=self.answer_bytes * len(cases))
        except StudentError as e:
            outcomes = [e] * len(cases)
        if not isinstance(outcomes, list) or len(outcomes) != len(cases):
            outcomes = [StudentError("failed", "the worker's answer was malformed")] * len(cases)
        self._prefetched.update({(question, case_id): _outcome(o) for case_id, o in zip(cases, outcomes)})

    def run(self, question: str, name: str, inputs: dict[str, Any], case_id: str,
            callbacks: dict[str, Callable] | None = None) -> Any:
        """The outputs of one case's driver (rnn_checks.RUNNERS) run in the worker."""
        if (question, case_id) not in self._prefetched:
            self.prefetch(question, name, {case_id: inputs}, callbacks)
        outcome = self._prefetched.pop((question, case_id))
        if isinstance(outcome, StudentError):
            raise outcome
        return outcome

    def function(self, name: str, callbacks: dict[str, Callable] | None = None) -> Callable[..., Any]:
        """A stand-in for the submission's `name` that the otter test files can call; its
        `run_remote` runs a whole case driver in the worker, `prefetch` several at once."""
        def proxy(*args: Any) -> Any:
            return self.call(name, list(args), callbacks)
        proxy.__name__ = name
        proxy.run_remote = lambda question, inputs, case_id: self.run(question, name, inputs, case_id, callbacks)
        proxy.prefetch = lambda question, cases: self.prefetch(question, name, cases, callbacks)
        return proxy

    def _retire(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    def close(self) -> str:
        """End the worker (and all it started); return the captured output."""
        self._retire()
        return self.output.text()
