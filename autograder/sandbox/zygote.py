"""The zygote: a clean process, started once per grading process, that has paid for Python and
numpy start-up and forks one isolated worker per submission on request. It never sees expected
values, fixtures or grading output, and never imports student code itself.

Process tree per submission:  zygote ─ monitor (namespaces, mounts, reaps) ─ worker (PID 1 of its
own PID namespace, unprivileged, limited; runs the student's code)

Request (over the zygote's socket, with three file descriptors attached): JSON {"hidden": [...],
"uid": int, "base": str, "limits": {...}, "forbidden": [...], "isolation": "auto" | "none"}
+ [control socket, output pipe, status pipe].
The monitor reports on the status pipe, one JSON line each: {"pid": <worker pid>, "isolation": ...}
then {"exit": <code>, "signal": <n>} when the worker has ended and everything it started is killed.
"""
from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys

import numpy  # noqa: F401 — imported once here, inherited by every worker
# Nothing else is imported here that a worker does not need: every fork copies the page tables of
# all the zygote has loaded (shutil and tempfile are imported where the "none" mode needs them).

from autograder.config import QUESTIONS_DIR
from autograder.questions import checks_module
from autograder.sandbox import isolate, worker
from solutions import rnn_utils

# The case drivers only (no fixtures: those are read lazily, and hidden from workers).
RUNNERS = checks_module(QUESTIONS_DIR).RUNNERS

sys.modules["rnn_utils"] = rnn_utils  # `from rnn_utils import *` in a submission resolves here


def _report(fd: int, **message: object) -> None:
    try:
        os.write(fd, (json.dumps(message) + "\n").encode())
    except OSError:
        pass


def _worker(request: dict, ctl_fd: int, out_fd: int, *, level: str, uid: int, existing: int,
            base: str) -> None:
    """The worker: unprivileged and limited, then it serves the grader; never returns."""
    code = 1
    try:
        isolate.name_process("rnn-worker")
        os.chdir(base if level == "none" else isolate.WORKDIR)
        isolate.drop_privileges(level=level, uid=uid)
        isolate.set_limits(existing_tasks=existing, **request["limits"])
        worker.main(socket.socket(fileno=ctl_fd), out_fd, request["forbidden"], RUNNERS)
        code = 0
    finally:
        os._exit(code)


def _init(request: dict, ctl_fd: int, out_fd: int, **worker_args: object) -> None:
    """PID 1 of the worker's PID namespace (a worker that were PID 1 itself could not be killed
    by its own signals): forks the worker, reaps orphans, and exits with the worker's status
    (128 + signal for a signal), which ends everything left in the namespace."""
    # Its own session, off the grader's terminal; without namespaces the monitor kills this
    # process group (the init's pid) and then sweeps whatever left it.
    os.setsid()
    isolate.name_process("rnn-init")
    isolate.enter_root(base=str(worker_args["base"]), level=str(worker_args["level"]))
    pid = os.fork()
    if pid == 0:
        _worker(request, ctl_fd, out_fd, **worker_args)
    os.close(ctl_fd)
    os.close(out_fd)
    while True:
        reaped, status = os.waitpid(-1, 0)
        if reaped == pid:
            os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def monitor(request: dict, ctl_fd: int, out_fd: int, status_fd: int) -> None:
    """Runs in the forked monitor; never returns. It reports the init's pid (the one to SIGKILL)
    and, once everything the worker started is gone, how the worker ended."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    isolate.name_process("rnn-monitor")
    uid = int(request["uid"])
    # An empty directory of the grader's: the worker's root, mounted over in this mount namespace
    # only; without namespaces, the parent of the worker's own working directory.
    base = request["base"]
    level = isolate.isolate(hidden=request["hidden"], base=base, uid=uid) \
        if sys.platform.startswith("linux") and request["isolation"] != "none" else "none"
    if level == "none":
        import tempfile
        base = tempfile.mkdtemp(dir=base)
        if os.geteuid() == 0:
            os.chown(base, uid, -1)  # the worker will run as uid
    existing = isolate.counted_tasks(level)
    isolate.become_subreaper()
    pid = os.fork()
    if pid == 0:
        os.close(status_fd)
        try:
            _init(request, ctl_fd, out_fd, level=level, uid=uid, existing=existing, base=base)
        finally:
            os._exit(1)
    os.close(ctl_fd)
    os.close(out_fd)
    _report(status_fd, pid=pid, isolation=level)
    _, status = os.waitpid(pid, 0)
    if level == "none":  # no PID namespace ended everything with the init: kill and sweep
        import shutil
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        isolate.kill_descendants()
        shutil.rmtree(base, ignore_errors=True)  # elsewhere its files were on a tmpfs of its mount namespace
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    _report(status_fd, exit=code if code < 128 else None, signal=code - 128 if code >= 128 else None)
    os._exit(0)


def serve(sock: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # monitors are reaped automatically
    isolate.name_process("rnn-zygote")
    isolate.leave_network()
    gc.freeze()  # the collector then leaves the shared pages of every forked worker alone
    bases: set[str] = set()
    try:
        while True:
            try:
                message, fds, _, _ = socket.recv_fds(sock, 1 << 20, 3)
            except OSError:
                return
            if not message:
                return
            request = json.loads(message)
            bases.add(request["base"])
            _spawn(sock, request, fds)
    finally:  # the grader closed our socket (or died): its empty base directory goes too
        import shutil
        for base in bases:
            shutil.rmtree(base, ignore_errors=True)


def _spawn(sock: socket.socket, request: dict, fds: list[int]) -> None:
    """Fork the monitor of one worker; its descriptors stay with the monitor only."""
    if os.fork() == 0:
        try:
            sock.close()
            keep = sorted(fds)  # one close_range per gap: closing fd by fd cost milliseconds
            for low, high in zip([2, *keep], [*keep, os.sysconf("SC_OPEN_MAX")]):
                os.closerange(low + 1, high)
            monitor(request, *fds)
        finally:
            os._exit(1)
    for fd in fds:
        os.close(fd)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
