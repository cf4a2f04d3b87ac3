"""Linux process isolation by direct system calls (ctypes): namespaces, mounts, privileges, limits.

Every function degrades instead of failing where the OS does not allow it; `isolate` reports which
level it reached so the grader can say what was guaranteed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import sys
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 4, 36, 38

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True) if sys.platform.startswith("linux") else None


def _call(name: str, *args: object) -> None:
    if _libc is None:
        raise OSError(f"{name} is not available on {sys.platform}")
    if getattr(_libc, name)(*args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{name}: {os.strerror(errno)}")


def _b(s: str | None) -> bytes | None:
    return s.encode() if s is not None else None


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _call("mount", _b(source), _b(target), _b(fstype), ctypes.c_ulong(flags), _b(data))


def prctl(option: int, arg: int) -> None:
    _call("prctl", option, ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))


def isolate(*, hidden: list[str], workdir: str, uid: int) -> str:
    """In the monitor, before it forks the worker: new mount, PID, network and IPC namespaces
    (a user namespace too when not root), every `hidden` path covered by an empty read-only tmpfs,
    and a private size-limited tmpfs on `workdir`. Returns "root", "userns" or "none"."""
    root = os.geteuid() == 0
    try:
        flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
        if not root:
            real_uid, real_gid = os.getuid(), os.getgid()
            _call("unshare", CLONE_NEWUSER | flags)
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{real_uid} {real_uid} 1")
            Path("/proc/self/gid_map").write_text(f"{real_gid} {real_gid} 1")
        else:
            _call("unshare", flags)
        mount(None, "/", None, MS_REC | MS_PRIVATE)
    except OSError:
        return "none"
    if root:
        _expose([sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.__file__)], uid)
    for path in hidden:
        try:
            if os.path.isdir(path):
                mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000")
            elif os.path.exists(path):
                mount("/dev/null", path, None, MS_BIND)
        except OSError:
            pass  # a path that vanished or cannot be covered: the uid drop still protects it
    mount("tmpfs", workdir, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=0700")
    if root:
        os.chown(workdir, uid, uid)
    return "root" if root else "userns"


def _blocker(path: str, uid: int) -> str | None:
    """The topmost ancestor of `path` that `uid` may not traverse (e.g. /root, mode 700)."""
    parts = os.path.realpath(path).split(os.sep)[1:]
    for i in range(1, len(parts) + 1):
        ancestor = os.sep + os.sep.join(parts[:i])
        st = os.stat(ancestor)
        if not st.st_mode & 0o001 and st.st_uid != uid:
            return ancestor
    return None


def _expose(paths: list[str], uid: int) -> None:
    """Let the unprivileged worker use the Python installation even where it lives in a private
    directory (pyenv under /root): cover the blocking ancestor with an empty tmpfs and bind the
    installation back into it. The rest of that directory stays invisible."""
    needed = {}
    for path in {os.path.realpath(p) for p in paths}:
        blocker = _blocker(path, uid)
        if blocker is not None:
            needed[path] = (blocker, os.open(path, os.O_PATH))  # a handle that survives the cover
    try:
        for blocker in sorted({b for b, _ in needed.values()}, key=len):
            mount("tmpfs", blocker, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
        for path, (_, fd) in sorted(needed.items()):
            os.makedirs(path, mode=0o755, exist_ok=True)
            mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
    finally:
        for _, fd in needed.values():
            os.close(fd)


def mount_proc(*, level: str) -> None:
    """In the namespace's init: a /proc that shows only the worker's own processes."""
    if level != "none":
        try:
            mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        except OSError:
            pass


def drop_privileges(*, level: str, uid: int) -> None:
    """In the worker: no way back to privilege."""
    if level == "root":
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)  # from root to another uid: every capability is cleared
    elif level == "userns":
        _drop_capabilities()
    try:
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        prctl(PR_SET_DUMPABLE, 0)
    except OSError:
        pass


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    """The user-namespace owner keeps capabilities there (it could unmount the hidden paths)."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    _call("capset", ctypes.byref(header), ctypes.byref((_CapData * 2)()))


def set_limits(*, memory_mb: int, cpu_seconds: int, max_file_mb: int, max_processes: int,
               existing_tasks: int) -> None:
    """Resource limits of the worker (inherited by everything it starts). RLIMIT_NPROC counts all
    tasks of the user, so `existing_tasks` (0 for a dedicated uid) is added to the allowance."""
    mb = 1024 * 1024
    limits = {
        resource.RLIMIT_AS: memory_mb * mb,
        resource.RLIMIT_CPU: cpu_seconds,
        resource.RLIMIT_FSIZE: max_file_mb * mb,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NOFILE: 256,
    }
    if hasattr(resource, "RLIMIT_NPROC"):
        limits[resource.RLIMIT_NPROC] = max_processes + existing_tasks
    for kind, value in limits.items():
        try:
            soft, hard = resource.getrlimit(kind)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):
            pass


def tasks_of_user() -> int:
    """How many tasks (processes and threads) this user runs now."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(entry / "task"))
            except OSError:
                continue
    return count


def become_subreaper() -> bool:
    try:
        prctl(PR_SET_CHILD_SUBREAPER, 1)
        return True
    except OSError:
        return False


def kill_descendants() -> None:
    """Kill every process left below this one (orphans re-parent to a subreaper), until none remain."""
    me = os.getpid()
    for _ in range(50):
        children = []
        for entry in Path("/proc").iterdir() if os.path.isdir("/proc") else ():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                    children.append(int(entry.name))
        if not children:
            return
        for pid in children:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
