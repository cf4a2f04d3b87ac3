"""Benign probe submissions for the sandbox tests: they report what a worker can see and do, and
start bounded processes (sleeping at most 60 s) whose survival the tests check in /proc.

Run as a script (`python -m tests.sandbox.probes [auto|none]`) it prints the isolation probe as
JSON; the tests run it that way as an unprivileged user."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from autograder.config import GraderConfig
from autograder.sandbox.errors import StudentError
from autograder.sandbox.session import SubmissionProcess
from autograder.sandbox.zygote_client import Sandbox, default_hidden_paths

REPO = Path(__file__).resolve().parents[2]
# Never visible to a worker with namespaces (secrets of the grader's machine and the reference).
SECRET_PATHS = [str(REPO / "solutions" / "rnn.py"), str(REPO / "autograder" / "questions" / "q1.py")]
PRIVATE_DIRS = ["/root", "/home", str(REPO), "/tmp"]
T = TypeVar("T")
# As root, a worker uid of its own per test process: graders running concurrently with the same
# slot share a uid and its RLIMIT_NPROC count.
SLOT = 900 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
CONFIG = GraderConfig(call_timeout=3.0, import_timeout=5.0, submission_timeout=30.0, max_processes=8,
                      diagnose=False)

PROBE = r'''
import ctypes, errno, os, resource, signal, time

_libc = ctypes.CDLL(None, use_errno=True)


def _errno(result):
    return "ok" if result == 0 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))


def _try(action):
    try:
        return action()
    except OSError as e:
        return type(e).__name__


def _status():
    lines = open("/proc/self/status").read().splitlines()
    return dict(line.split(":", 1) for line in lines if ":" in line)


def probe(read_paths, list_dirs):
    """What this worker sees and may do. The privileged calls only affect the worker itself."""
    status = _status()
    return {
        "uid": os.getuid(), "pid": os.getpid(), "cwd": os.getcwd(), "root": sorted(os.listdir("/")),
        "read": {p: _try(lambda p=p: len(open(p, "rb").read())) for p in read_paths},
        "list": {p: _try(lambda p=p: sorted(os.listdir(p))) for p in list_dirs},
        "caps": [status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapAmb")],
        "no_new_privs": status["NoNewPrivs"].strip(),
        "maps": {n: _try(lambda n=n: open("/proc/self/" + n).read().split())
                 for n in ("uid_map", "gid_map", "setgroups")},
        "umount": _errno(_libc.umount2(b"/usr", 2)),
        "mount": _errno(_libc.mount(b"tmpfs", os.getcwd().encode(), b"tmpfs", ctypes.c_ulong(0), None)),
        "chroot": _errno(_libc.chroot(b"/tmp")),
        "unshare_user": _errno(_libc.unshare(0x10000000)),
        "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
        "names": {p: _try(lambda p=p: open(f"/proc/{p}/comm").read().strip()) for p in ("self", "1")},
        "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "interfaces": _try(lambda: sorted(l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:])),
    }


def _me():
    """(pid, start time): a pid alone could be reused once the process is gone."""
    return [os.getpid(), int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])]


def _sleeper(seconds, daemon):
    try:
        if daemon:  # the classic double fork: a new session, re-parented, deaf to SIGTERM/SIGHUP
            os.setsid()
            if os.fork() != 0:
                os._exit(0)
            for sig in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)
        os.write(_w, (" ".join(map(str, _me())) + "\n").encode())
        os.close(_w)  # the spawner reads until every sleeper has reported
        time.sleep(seconds)
    finally:
        os._exit(0)


def spawn(children, daemons, seconds):
    """Start `children` plain children and `daemons` setsid daemons; return their [pid, start]."""
    global _w
    r, _w = os.pipe()
    for daemon in [False] * children + [True] * daemons:
        if os.fork() == 0:
            _sleeper(min(seconds, 60), daemon)
    os.close(_w)
    with os.fdopen(r) as lines:
        return [list(map(int, line.split())) for line in lines]


def fork_count(limit):
    """How many children this worker may fork (at most `limit`); they are ended before returning."""
    pids = []
    for _ in range(limit):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return len(pids)


def leave_traces():
    """Try to leave something for the next worker: a file in the working directory and at the
    root, a System V shared memory segment. What each attempt gave."""
    def write(path):
        with open(path, "w") as f:
            f.write("trace")
        return "written"
    shm = _libc.shmget(0x5EED, 4096, 0o1000 | 0o666)  # IPC_CREAT
    return {"workdir": _try(lambda: write("trace")), "root": _try(lambda: write("/trace")),
            "shm": "created" if shm != -1 else _errno(shm)}


def find_traces():
    return {"workdir": os.path.exists("trace"), "root": os.path.exists("/trace"),
            "shm": _libc.shmget(0x5EED, 0, 0) != -1}


KEY_NAME, SHM_NAME, ABSTRACT = b"rnn-probe-key", "rnn-probe-shm", b"\\0rnn-probe-abstract"
_KEYCTL = {"x86_64": (248, 250), "aarch64": (217, 219)}.get(__import__("platform").machine())
_libc.syscall.restype = ctypes.c_long


def _keyrings():
    persistent = _libc.syscall(_KEYCTL[1], 22, ctypes.c_long(-1), ctypes.c_long(-3)) if _KEYCTL else -1
    return [-4, -5, -3] + ([persistent] if persistent > 0 else [])  # user, user session, session, persistent


def leave_channels():
    """Try to leave a message for the next worker in each kind of kernel object that is not a
    file: keys in every keyring of the uid, a POSIX message queue, a /dev/shm file, an abstract
    unix socket held by a setsid daemon (sleeping 60 s). What each attempt gave."""
    got = {}
    if _KEYCTL:
        got["keys"] = [_libc.syscall(_KEYCTL[0], b"user", KEY_NAME, b"x", ctypes.c_size_t(1), ctypes.c_long(r)) > 0
                       for r in _keyrings()]
    _libc.mq_open.restype = ctypes.c_int
    q = _libc.mq_open(b"/rnn-probe-queue", os.O_CREAT | os.O_RDWR, 0o600, None)
    got["mqueue"] = "created" if q >= 0 else _errno(q)
    got["shm"] = _try(lambda: open("/dev/shm/" + SHM_NAME, "w").write("x") and "written")
    r, w = os.pipe()
    if os.fork() == 0:
        try:
            os.setsid()
            import socket
            s = socket.socket(socket.AF_UNIX)
            s.bind(ABSTRACT)
            s.listen()
            os.write(w, b"bound")
            time.sleep(60)
        except OSError as e:
            os.write(w, type(e).__name__.encode())
        finally:
            os._exit(0)
    os.close(w)
    got["abstract"] = os.read(r, 64).decode()
    return got


def find_channels():
    import socket
    found = {}
    if _KEYCTL:
        found["keys"] = [_libc.syscall(_KEYCTL[1], 10, ctypes.c_long(r), b"user", KEY_NAME, ctypes.c_long(0)) > 0
                         for r in _keyrings()]
    _libc.mq_open.restype = ctypes.c_int
    found["mqueue"] = _libc.mq_open(b"/rnn-probe-queue", os.O_RDONLY, 0, None) >= 0
    found["shm"] = os.path.exists("/dev/shm/" + SHM_NAME)
    s = socket.socket(socket.AF_UNIX)
    found["abstract"] = _try(lambda: s.bind(ABSTRACT)) is not None  # bound by someone still
    s.close()
    return found


def hang():
    time.sleep(60)


def die():
    os._exit(3)
'''


def open_probe(sandbox: Sandbox, config: GraderConfig = CONFIG) -> SubmissionProcess:
    return SubmissionProcess(sandbox, PROBE, config=config, hidden=default_hidden_paths())


def isolation_report(isolation: str) -> dict[str, Any]:
    """The probe's view from a worker forked with `isolation`, plus how many children it may fork."""
    sandbox = Sandbox(slot=SLOT)
    try:
        process = open_probe(sandbox, CONFIG.with_overrides(isolation=isolation))
        report = process.call("probe", [SECRET_PATHS, PRIVATE_DIRS])
        report["forks"] = process.call("fork_count", [4 * CONFIG.max_processes])
        report["level"] = sandbox.isolation
        process.close()
        return report
    finally:
        sandbox.close()


def alive(processes: list[list[int]]) -> list[list[int]]:
    """Those of the (pid, start time) pairs that still run (zombies count as gone)."""
    left = []
    for pid, start in processes:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[19]) == start and fields[0] != "Z":
            left.append([pid, start])
    return left


def settled(check: Callable[[], T], seconds: float = 5.0) -> T:
    """`check()` once it is falsy, or its last value after `seconds` (the zygote sweeps asynchronously)."""
    deadline = time.monotonic() + seconds
    while (value := check()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def end_with(process: SubmissionProcess, how: str) -> str:
    """End the probe's worker by `how` ("hang": killed at its timeout, "die": exits); the status."""
    try:
        process.call(how, [])
    except StudentError as e:
        return e.status
    finally:
        process.close()
    return "ok"


if __name__ == "__main__":
    print(json.dumps(isolation_report(sys.argv[1] if len(sys.argv) > 1 else "auto")))
