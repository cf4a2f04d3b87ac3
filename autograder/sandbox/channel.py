"""The grader's end of one worker: requests with one deadline each, the callbacks the worker asks
for meanwhile, the worker's captured output and its end.

Every call has one deadline on the grader's clock, set when it starts (and never later than the
submission's own): every read and write of the call uses what is left of it. Every message from the
worker is capped in size (from the answer's legitimate size), checked in depth and must answer the
request in progress. On a timeout, a protocol violation, the worker's death or its tree exceeding
its memory, the zygote SIGKILLs the worker and everything it started (see zygote.py) and the call
ends with a status (`timeout`, `crashed`, `memory`).
"""
from __future__ import annotations

import array
import fcntl
import json
import os
import select
import signal
import socket
import termios
import time
from typing import Any, Callable

from autograder.sandbox import isolate, memory, wire
from autograder.sandbox.errors import RefusedArguments, StudentError, reported
from autograder.sandbox.output import Output

SIGNALS = {signal.SIGXCPU: "timeout", signal.SIGKILL: "crashed", signal.SIGXFSZ: "crashed"}
# A message from a worker may be this large beyond ANSWER_FACTOR times the legitimate answer it
# carries (an import's reply, an error message, a wrong answer of a slightly wrong shape).
MESSAGE_SLACK = 1 << 20
ANSWER_FACTOR = 16


def message_limits(answer_bytes: int) -> dict[str, int]:
    """The caps of one message that carries an answer of about `answer_bytes` legitimate bytes:
    the whole message, and its JSON header (which grows with the number of values, not their size)."""
    limit = MESSAGE_SLACK + ANSWER_FACTOR * max(0, answer_bytes)
    return {"limit": limit, "header_limit": (64 << 10) + limit // 16}


class WorkerChannel:
    """One running worker: requests with deadlines, its captured output, and its end."""

    def __init__(self, ctl: socket.socket, out_fd: int, status_fd: int, *, output_limit: int,
                 kill: Callable[[int], None]) -> None:
        self.ctl, self.out_fd, self.status_fd, self._kill = ctl, out_fd, status_fd, kill
        self.output = Output(output_limit)
        self.alive, self.answered = True, False
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

    def switch_output(self, output: Output) -> None:
        """From now on the worker's printed output goes to `output`; what it printed so far (all
        that is in the pipe at this moment, however fast it goes on printing) stays where it was."""
        waiting = array.array("i", [0])
        fcntl.ioctl(self.out_fd, termios.FIONREAD, waiting)
        left = waiting[0]
        while left > 0:
            chunk = os.read(self.out_fd, min(left, 1 << 16))
            if not chunk:
                break
            self.output.add(chunk)
            left -= len(chunk)
        self.output = output

    def _died(self) -> StudentError:
        end = self._status_message(deadline=time.monotonic() + 5) or {}
        self.alive = False
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
            raise reported(reply.get("status"), reply.get("message", ""))
        if op == "loaded":  # and the code it compiled, as bytes never read here (session.py)
            return {**reply, "compiled": bytes(data[0]) if len(data) == 1 else None}
        raise wire.ProtocolError(f"unexpected reply {op!r}")
