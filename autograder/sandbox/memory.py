"""The memory of a worker's whole process tree, bounded together (`memory_mb`), shared memory and
memfd files included: RLIMIT_AS alone bounds each process, not the tree, and not shared memory.

Three mechanisms, the first the machine allows (`Group.mechanism` says which one a sandbox got):

- "cgroup v2": a group per worker under the zygote's own group, where the v2 memory controller
  is enabled for it: `memory.max`, no swap, `memory.oom.group` (the kernel kills the whole tree);
- "cgroup v1": the same with v1's memory controller (hybrid layouts): `memory.limit_in_bytes`,
  and the OOM killer disabled, so a tree at its limit stops where it is until the zygote, which
  polls `under_oom`, kills it;
- "monitor": no group can be made (not root, no delegation): the zygote, which sees every process
  of its PID namespace, sums the tree's anonymous and shared resident memory and the memfd and
  shared-memory files it holds open every POLL seconds, and kills the tree over the limit.

In both cgroup cases the pages a tree touches (tmpfs, memfd and System V segments included) are
charged to its group; the grader also reads the group after every answer, so an answer that
comes from a tree over its limit is never taken. Creating groups needs root (as on Gradescope
and CI); the launcher makes the zygote's group and removes it when the zygote ends.
"""
from __future__ import annotations

import os
from pathlib import Path

POLL = 0.05  # seconds between two looks at a running worker's memory
_SHARED_FILES = ("/memfd:", "/dev/shm/", "/SYSV")


def _own_group(controller: str) -> tuple[str, str] | None:
    """(mount point, own path) of this process in the hierarchy of `controller` ("" for v2)."""
    mounts = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fstype, _, options = right.split(" ")[:3]
        if controller == "" and fstype == "cgroup2":
            mounts[""] = left.split(" ")[4]
        elif fstype == "cgroup" and controller in options.split(","):
            mounts[controller] = left.split(" ")[4]
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in (controllers.split(",") if controller else [controllers]) and controller in mounts:
            return mounts[controller], path
    return None


PREFIX = "rnn-sandbox-"


def make_sandbox_group() -> str | None:
    """In the launcher, as root: a memory group rnn-sandbox-<its pid> below this process's own,
    in which the zygote makes one group per worker; None where none can be made (then: the
    monitor). The empty groups of launchers that were killed before they could remove theirs go."""
    if os.geteuid() != 0:
        return None
    name = f"{PREFIX}{os.getpid()}"
    try:
        v2 = _own_group("")
        if v2 is not None:
            own = v2[0] + v2[1]
            enabled = Path(own, "cgroup.subtree_control").read_text().split()
            if "memory" in enabled or _enable_memory(own):
                _remove_stale(own)
                os.mkdir(os.path.join(own, name))
                # the zygote's workers get groups below this one
                Path(own, name, "cgroup.subtree_control").write_text("+memory")
                return os.path.join(own, name)
        v1 = _own_group("memory")
        if v1 is not None:
            _remove_stale(v1[0] + v1[1])
            path = os.path.join(v1[0] + v1[1], name)
            os.mkdir(path)
            return path
    except OSError:
        return None
    return None


def _remove_stale(parent: str) -> None:
    for entry in Path(parent).glob(PREFIX + "*"):
        pid = entry.name.removeprefix(PREFIX)
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            remove_sandbox_group(str(entry))  # fails harmlessly while a process is still in it


def _enable_memory(group: str) -> bool:
    try:
        Path(group, "cgroup.subtree_control").write_text("+memory")  # EBUSY with processes in it
        return True
    except OSError:
        return False


def remove_sandbox_group(path: str | None) -> None:
    """In the launcher, once the zygote and every worker have ended: the groups are empty."""
    if path is None:
        return
    for child in Path(path).iterdir() if os.path.isdir(path) else ():
        if child.is_dir():
            try:
                child.rmdir()
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        pass


def mechanism(sandbox_group: str | None) -> str:
    if sandbox_group is None:
        return "monitor"
    return "cgroup v1" if os.path.exists(os.path.join(sandbox_group, "memory.limit_in_bytes")) else "cgroup v2"


def _read(path: str) -> str:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 4096).decode()
    finally:
        os.close(fd)


def exceeded(group: str, limit: int) -> bool:
    """Whether the tree in worker group `group` has reached its limit of `limit` bytes (and so
    is, or was, stopped or refused memory for it). One file read: the grader asks after every
    answer. False when the group cannot be read."""
    try:
        try:  # v1: its peak (a charge refused outside a page fault, e.g. a memfd's, counts no failure)
            return int(_read(group + "/memory.max_usage_in_bytes")) >= limit
        except FileNotFoundError:  # v2
            events = dict(line.split() for line in _read(group + "/memory.events").splitlines())
            return any(int(events.get(name, 0)) > 0 for name in ("max", "oom", "oom_kill", "oom_group_kill"))
    except (OSError, ValueError):
        return False


class WorkerGroup:
    """The memory group of one worker (in the zygote): made before the fork, entered by the
    child, read while it runs, removed once its tree is gone."""

    def __init__(self, sandbox_group: str, index: int, limit_mb: int) -> None:
        self.path, self.limit = os.path.join(sandbox_group, f"w{index}"), limit_mb * 1024 * 1024
        os.mkdir(self.path)
        limit = str(self.limit)
        self.v1 = mechanism(sandbox_group) == "cgroup v1"
        if self.v1:
            self._write("memory.limit_in_bytes", limit)
            self._write("memory.memsw.limit_in_bytes", limit, optional=True)  # no swap (where accounted)
            self._write("memory.oom_control", "1")
        else:
            self._write("memory.max", limit)
            self._write("memory.swap.max", "0", optional=True)
            self._write("memory.oom.group", "1", optional=True)

    def _write(self, name: str, value: str, *, optional: bool = False) -> None:
        try:
            Path(self.path, name).write_text(value)
        except OSError:
            if not optional:
                raise

    def enter(self) -> None:
        """In the forked worker, before it drops privileges: it and all it starts belong here.
        Just forked, it has one thread, so v1's `tasks` moves the whole process; unlike
        `cgroup.procs` it moves the writing thread without the kernel's global lock, whose write
        side waits for an RCU grace period (~11 ms per worker here, on the worker's clock)."""
        Path(self.path, "tasks" if self.v1 else "cgroup.procs").write_text("0")

    def exceeded(self) -> bool:
        return exceeded(self.path, self.limit)

    def remove(self) -> None:
        try:
            os.rmdir(self.path)
        except OSError:
            pass


def tree_bytes(pids: list[int]) -> int:
    """The monitor's measure of processes `pids`: their anonymous and shared resident memory,
    plus the memfd and shared-memory files they hold open (counted once each, mapped or not)."""
    total, files = 0, {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(("RssAnon:", "RssShmem:")):
                    total += int(line.split()[1]) * 1024
            fds = os.listdir(f"/proc/{pid}/fd")
        except (OSError, ValueError):
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(_SHARED_FILES):
                    st = os.stat(f"/proc/{pid}/fd/{fd}")
                    files[(st.st_dev, st.st_ino)] = st.st_blocks * 512
            except OSError:
                continue
    return total + sum(files.values())


def tree_of(root_pid: int, *, whole_namespace: bool) -> list[int]:
    """Every process of a worker's tree: with its own /proc as PID 1 of the namespace, every
    process but 1; otherwise the descendants of this process (orphans re-parent to it)."""
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    if whole_namespace:
        return [p for p in pids if p != 1]
    parents = {}
    for pid in pids:
        try:
            parents[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = set(), {root_pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return sorted(found)
