"""The zygote: a clean process, started once per grading process, that has paid for Python and
numpy start-up and forks one isolated worker per submission on request. It never sees expected
values, fixtures or grading output, and never imports student code itself.

It is PID 1 of its own PID namespace (see launch.py; without namespaces, a child subreaper), so
everything a worker starts stays its descendant: when a worker ends, it kills and reaps all of
them before it reports the end, and before it forks the next worker. One worker at a time.

Process tree:  launch ─ zygote (PID 1: forks, reaps, sweeps) ─ worker (own mount and IPC
namespaces, a read-only root of the OS and Python only, unprivileged, limited; runs the student's code)

The memory of each worker's whole tree is bounded together (memory.py): in a memory group of its
own where the launcher could make the zygote's, otherwise by the zygote's monitor, which then
looks at the running tree every memory.POLL seconds. A tree over its limit is killed and its end
says so ("memory"). Nothing a worker made survives it: its processes, files and IPC objects go
with its namespaces or are swept, and each worker starts with a fresh session keyring and an
empty user keyring (those of the worker uid are emptied again when the zygote leaves).

Requests (over the zygote's socket): JSON {"hidden": [...], "uid": int, "base": str, "limits":
{...}, "forbidden": [...], "program": {...}} with three file descriptors attached [control socket, output pipe,
status pipe]: a new worker (the current one, if any, is ended first); or {"kill": pid}.
On the status pipe, one JSON line each: {"pid": <worker pid>, "isolation": ..., "memory":
<mechanism>, "group": <its memory group or null>, "limit": <its tree's limit in bytes>}, then {"exit": <code>, "signal": <n>, "memory":
<limit in MB, when the tree went over it>} once the worker has ended and everything it started is
gone. "program" (program.py) names the modules to import before forking (once per zygote), the
aliases submissions import them by, the case drivers and the submission's file name. The zygote never blocks on its peers: its socket and the status pipes are non-blocking.
"""
from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
from dataclasses import dataclass

import numpy  # noqa: F401 — imported once here, inherited by every worker
# numpy loads numpy.random on first use: about 20 ms in each worker whose submission seeds the
# RNG at import (test cells left in a notebook export), against 1 ms more per fork here.
import numpy.random  # noqa: F401
# Nothing else is imported here that a worker does not need: every fork copies the page tables of
# all the zygote has loaded (shutil and tempfile are imported where the "none" mode needs them).

from autograder.sandbox import isolate, memory, worker
from autograder.sandbox.program import Program


@dataclass
class _Worker:
    pid: int
    status_fd: int
    workdir: str | None  # without namespaces: its own directory, removed when it ends
    uid: int
    limit_mb: int
    group: memory.WorkerGroup | None  # its memory group, if the sandbox has one
    shm_before: frozenset[str]  # without namespaces: what /dev/shm held before it started
    over_memory: bool = False


def _report(fd: int, **message: object) -> None:
    try:
        os.write(fd, (json.dumps(message) + "\n").encode())
    except OSError:
        pass


def _run_worker(request: dict, ctl_fd: int, out_fd: int, *, level: str, root: str,
                group: memory.WorkerGroup | None, program: Program, drivers: dict) -> None:
    """In the forked worker: isolated, unprivileged and limited, then it serves the grader."""
    code = isolate.SETUP_FAILED
    try:
        isolate.name_process("rnn-worker")
        uid = int(request["uid"])
        os.setsid()  # off the grader's terminal; without namespaces, the group the sweep kills first
        if group is not None:
            group.enter()
        if level == "none":
            os.chdir(root)
        else:
            isolate.enter_root(root, uid=uid if os.geteuid() == 0 else os.getuid())
        existing = isolate.counted_tasks(level)
        # the user keyring is the worker's own to empty with a dedicated uid, or in a user namespace
        own_keyring = os.geteuid() == 0 or (level == "userns" and isolate.user_keyrings_per_namespace())
        isolate.drop_privileges(level=level, uid=uid)
        isolate.fresh_keyrings(clear_user=own_keyring)
        isolate.set_limits(existing_tasks=existing, **request["limits"])
        code = 1
        worker.main(socket.socket(fileno=ctl_fd), out_fd, request["forbidden"], drivers, program.submission)
        code = 0
    finally:
        os._exit(code)


class Zygote:
    """The zygote's state: the workers' roots it has built and the worker it serves now."""

    def __init__(self, level: str, memory_group: str | None) -> None:
        self.level = level
        self.roots: dict[tuple[str, ...], str] = {}  # hidden paths -> the workers' root
        self.current: _Worker | None = None
        self.memory_group, self.memory = memory_group, memory.mechanism(memory_group)
        self.spawned = 0
        self.uids: set[int] = set()  # the worker uids used (as root): their keyrings are emptied at the end
        # The monitor sees the whole tree as every process but itself in its own /proc (PID 1
        # with a fresh /proc), or otherwise as its descendants.
        self.own_proc = os.getpid() == 1 and self.memory == "monitor" and isolate.mount_own_proc()
        self.self_pid = int(os.readlink("/proc/self")) if os.path.exists("/proc/self") else os.getpid()
        self.programs: dict[str, tuple[Program, dict]] = {}  # JSON -> the program and its drivers

    def _program(self, spec: dict) -> tuple[Program, dict]:
        """The program a request names, loaded (imported) before the first worker that runs it."""
        key = json.dumps(spec, sort_keys=True)
        if key not in self.programs:
            program = Program.from_json(spec)
            self.programs[key] = (program, program.load())
            gc.freeze()  # what it imported is shared by every worker forked from now on
        return self.programs[key]

    def _root(self, base: str, hidden: list[str], uid: int) -> str:
        """The workers' root for `hidden` (built on first use); without namespaces, a fresh
        working directory instead."""
        if self.level == "none":
            import tempfile

            workdir = tempfile.mkdtemp(dir=base)
            if os.geteuid() == 0:
                os.chown(workdir, uid, -1)  # the worker will run as uid
            return workdir
        key = tuple(sorted(hidden))
        if key not in self.roots:
            root = os.path.join(base, f"root{len(self.roots)}")
            os.mkdir(root)
            try:
                isolate.build_root(root, hidden=list(key))
            except OSError:  # namespaces, but no mounts: say so, and contain by limits and sweep
                self.level = "none"
                return self._root(base, hidden, uid)
            self.roots[key] = root
        return self.roots[key]

    def spawn(self, request: dict, fds: list[int]) -> None:
        self.end()
        ctl_fd, out_fd, status_fd = fds
        os.set_blocking(status_fd, False)
        uid, limit_mb = int(request["uid"]), int(request["limits"]["memory_mb"])
        root = self._root(request["base"], request["hidden"], uid)
        program, drivers = self._program(request["program"])
        self.spawned += 1
        group = None
        if self.memory_group is not None:
            try:
                group = memory.WorkerGroup(self.memory_group, self.spawned, limit_mb)
            except OSError:  # the group went away: this worker gets the monitor instead
                group = None
        if os.geteuid() == 0:
            self.uids.add(uid)
        shm = frozenset(_listdir("/dev/shm")) if self.level == "none" else frozenset()
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            keep = sorted((ctl_fd, out_fd))  # one close_range per gap: fd by fd cost milliseconds
            for low, high in zip([2, *keep], [*keep, os.sysconf("SC_OPEN_MAX")]):
                os.closerange(low + 1, high)
            _run_worker(request, ctl_fd, out_fd, level=self.level, root=root, group=group,
                        program=program, drivers=drivers)
        os.close(ctl_fd)
        os.close(out_fd)
        self.current = _Worker(pid, status_fd, root if self.level == "none" else None, uid, limit_mb, group, shm)
        _report(status_fd, pid=pid, isolation=self.level, memory=self.memory,
                group=group.path if group is not None else None, limit=limit_mb * 1024 * 1024)

    def watch(self) -> None:
        """While a worker runs: kill its tree when it has gone over its memory limit."""
        current = self.current
        if current is None or current.over_memory:
            return
        if current.group is not None:
            over = current.group.exceeded()
        else:
            pids = memory.tree_of(self.self_pid, whole_namespace=self.own_proc)
            over = memory.tree_bytes(pids) > current.limit_mb * 1024 * 1024
        if over:
            current.over_memory = True
            self.kill(current.pid)

    def kill(self, pid: object) -> None:
        if self.current is not None and self.current.pid == pid:
            os.kill(pid, signal.SIGKILL)  # reaped (and swept) on its SIGCHLD

    def reap(self) -> None:
        """Collect ended children; when the current worker is among them, finish it."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if self.current is not None and pid == self.current.pid:
                self._finish(status)

    def end(self) -> None:
        """Kill the current worker, if any, and finish it."""
        if self.current is not None:
            try:
                os.kill(self.current.pid, signal.SIGKILL)
            except OSError:
                pass
            _, status = os.waitpid(self.current.pid, 0)
            self._finish(status)

    def _finish(self, status: int) -> None:
        """The current worker has ended: kill and reap everything it started, then report."""
        current, self.current = self.current, None
        if os.getpid() == 1:  # PID 1 of our own namespace: -1 is everyone else in it
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            while True:
                try:
                    os.waitpid(-1, 0)
                except ChildProcessError:
                    break
        else:
            try:
                os.killpg(current.pid, signal.SIGKILL)
            except OSError:
                pass
            isolate.kill_descendants()
        if current.workdir is not None:
            import shutil

            shutil.rmtree(current.workdir, ignore_errors=True)
        if self.level == "none":  # no IPC namespace: what it left in /dev/shm goes now
            _remove_new_files("/dev/shm", current.shm_before, current.uid if os.geteuid() == 0 else os.getuid())
        over = current.over_memory or (current.group is not None and current.group.exceeded())
        if current.group is not None:
            current.group.remove()
        code = os.waitstatus_to_exitcode(status)
        _report(current.status_fd, exit=code if code >= 0 else None, signal=-code if code < 0 else None,
                **({"memory": current.limit_mb} if over else {}))
        os.close(current.status_fd)


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def _remove_new_files(directory: str, before: frozenset[str], uid: int) -> None:
    """Remove what `uid` created in `directory` since `before` was listed."""
    for name in set(_listdir(directory)) - before:
        path = os.path.join(directory, name)
        try:
            if os.lstat(path).st_uid == uid:
                os.unlink(path)
        except OSError:
            continue


def serve(sock: socket.socket, *, level: str, memory_group: str | None = None) -> None:
    isolate.name_process("rnn-zygote")
    isolate.prctl(isolate.PR_SET_DUMPABLE, 0)  # no /proc/1/mem for a worker that has our uid (user namespace)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler: as PID 1 it would not get SIGCHLD otherwise
    # As PID 1 it gets from its workers only the signals it handles; Python's SIGINT handler
    # would let a worker with the same uid (user namespace) stop it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if level == "none":
        isolate.become_subreaper()
    zygote = Zygote(level, memory_group)
    bases: set[str] = set()
    sock.setblocking(False)
    gc.freeze()  # the collector then leaves the shared pages of every forked worker alone
    try:
        while True:
            ready, _, _ = select.select([sock, wake_r], [], [], memory.POLL if zygote.current else None)
            zygote.watch()
            if wake_r in ready:
                os.read(wake_r, 1 << 12)
                zygote.reap()
            if sock not in ready:
                continue
            try:
                message, fds, _, _ = socket.recv_fds(sock, 1 << 20, 3)
            except BlockingIOError:
                continue
            except OSError:
                return
            if not message:
                return
            request = json.loads(message)
            if "kill" in request:
                zygote.kill(request["kill"])
            elif len(fds) == 3:
                bases.add(request["base"])
                zygote.spawn(request, fds)
    finally:  # the grader closed our socket (or died): no worker outlives it, nor its base
        import shutil

        zygote.end()
        for uid in zygote.uids:
            isolate.empty_keyrings_of(uid)
        for root in zygote.roots.values():
            isolate.unmount(root)
        for base in bases:
            shutil.rmtree(base, ignore_errors=True)
