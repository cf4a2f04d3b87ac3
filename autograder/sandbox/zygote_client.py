"""The grader's handle on its zygote (zygote.py): started on first use, asked for one worker at a
time, told to kill one. The request format is zygote.py's; what a worker runs is the `Program`
passed with each request (the sandbox knows nothing of the assignment)."""
from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from autograder.config import PACKAGE_DIR, GraderConfig
from autograder.sandbox.channel import WorkerChannel
from autograder.sandbox.program import Program

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS")
DEFAULT_UID_BASE = 61000  # dedicated uids for workers when the grader runs as root
ZYGOTE_TIMEOUT = 5.0  # seconds for the zygote to take a request or report a worker's end


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

    def open_worker(self, *, config: GraderConfig, hidden: list[str], program: Program) -> WorkerChannel:
        if self._zygote is None or self._zygote.poll() is not None or self._mode != config.isolation:
            self.close()
            self._start(config.isolation)
        ctl, ctl_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_r, out_w = os.pipe()
        status_r, status_w = os.pipe()
        request = {
            "uid": self.uid, "base": self._base, "hidden": hidden, "forbidden": list(config.forbidden_imports),
            "limits": vars(Limits(config.memory_mb, config.cpu_seconds, config.max_file_mb, config.max_processes)),
            "program": program.to_json(),
        }
        try:
            socket.send_fds(self._sock, [json.dumps(request).encode()], [ctl_child.fileno(), out_w, status_w])
        finally:
            ctl_child.close()
            os.close(out_w)
            os.close(status_w)
        worker = WorkerChannel(ctl, out_r, status_r, output_limit=config.output_limit, kill=self._kill)
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
