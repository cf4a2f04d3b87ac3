"""Linux process isolation by direct system calls (ctypes): namespaces, mounts, privileges, limits.

Every function degrades instead of failing where the OS does not allow it; `isolate` reports which
level it reached so the grader can say what was guaranteed.
"""
from __future__ import annotations

import ctypes
import os
import platform
import re
import resource
import sys
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NAME, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 4, 15, 36, 38

# The C library the interpreter itself is linked with (no ctypes.util: it would load subprocess
# into the zygote, and every fork copies what the zygote has loaded).
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


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


def name_process(name: str) -> None:
    """The name `ps` and `top` show for this process (its role: rnn-zygote, rnn-worker, ...)."""
    if _libc is not None:
        _libc.prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)


SYSTEM_DIRS = ("usr", "bin", "lib", "lib32", "lib64", "libx32", "sbin", "etc")
DEVICES = ("null", "zero", "random", "urandom")
WORKDIR = "/tmp/work"  # the worker's working directory inside its root
SETUP_FAILED = 71  # a worker's exit code when it could not enter its root (before any student code)


def contain() -> str:
    """In the zygote's launcher, once per grading process: new PID, mount and network namespaces
    (a user namespace too when not root, which brings the capabilities for the rest), so that the
    process it forks next is PID 1 of its own PID namespace, without network. Returns "root",
    "userns" or "none" (no namespace could be made)."""
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET
    try:
        if os.geteuid() == 0:
            _call("unshare", flags)
            level = "root"
        else:
            real_uid, real_gid = os.getuid(), os.getgid()
            _call("unshare", CLONE_NEWUSER | flags)
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{real_uid} {real_uid} 1")
            Path("/proc/self/gid_map").write_text(f"{real_gid} {real_gid} 1")
            level = "userns"
        mount(None, "/", None, MS_REC | MS_PRIVATE)
    except OSError:
        return "none"
    return level


def _bind(source: str, target: str, *, read_only: bool) -> None:
    if os.path.isdir(source):
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        open(target, "a").close()
    mount(source, target, None, MS_BIND | MS_REC)
    if read_only:
        try:
            mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
        except OSError:
            pass  # a locked mount in a user namespace: file permissions still apply


def build_root(base: str, *, hidden: list[str]) -> None:
    """In the zygote, once per set of `hidden` paths: the root every worker gets, in the empty
    directory `base`: only the OS (/usr, /lib*, /bin, /etc, read-only), the Python installation,
    a few devices, and an empty /tmp/work for each worker's own tmpfs. Every `hidden` path inside
    it is covered by an empty tmpfs. Read-only as a whole: workers share it."""
    mount("tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    for name in SYSTEM_DIRS:
        source = "/" + name
        if os.path.islink(source):
            os.symlink(os.readlink(source), os.path.join(base, name))  # merged /usr: bin -> usr/bin
        elif os.path.isdir(source):
            _bind(source, base + source, read_only=True)
    # The interpreter and its packages, at the same paths (they may live under /root or /home).
    for prefix in sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}):
        if not os.path.exists(base + prefix):
            _bind(prefix, base + prefix, read_only=True)
    for link in {sys.prefix, sys.base_prefix} - {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}:
        if not os.path.lexists(base + link):
            os.makedirs(os.path.dirname(base + link), mode=0o755, exist_ok=True)
            os.symlink(os.path.realpath(link), base + link)
    for device in DEVICES:
        _bind("/dev/" + device, f"{base}/dev/{device}", read_only=False)
    os.makedirs(base + "/proc", mode=0o555, exist_ok=True)
    os.makedirs(base + WORKDIR, mode=0o755)
    for path in hidden:  # e.g. the autograder package when it is installed in site-packages
        target = base + os.path.realpath(path)
        try:
            if os.path.isdir(target):
                mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000")
            elif os.path.exists(target):
                mount("/dev/null", target, None, MS_BIND)
        except OSError:
            pass
    # In a user namespace the workers have the uid that owns this tmpfs: read-only, or a worker
    # could leave files there for the next one.
    mount(None, base, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def unmount(path: str) -> None:
    """Detach a mount (a workers' root when the zygote leaves); nothing if it cannot."""
    if _libc is not None:
        _libc.umount2(_b(path), 2)  # MNT_DETACH


def enter_root(base: str, *, uid: int) -> None:
    """In a new worker, still privileged: its own mount and IPC namespaces (IPC objects outlive
    processes), a fresh size-limited tmpfs as its working directory /tmp/work (owned by `uid`),
    `base` (from build_root) as its root, and a /proc showing only its own processes."""
    _call("unshare", CLONE_NEWNS | CLONE_NEWIPC)
    try:  # a System V segment is removed once no process has it attached: none outlives the tree
        Path("/proc/sys/kernel/shm_rmid_forced").write_text("1")
    except OSError:
        pass  # (the IPC namespace goes with the worker anyway)
    mount("tmpfs", base + WORKDIR, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=0700")
    os.chown(base + WORKDIR, uid, -1)
    os.chroot(base)
    os.chdir(WORKDIR)
    for options in ("hidepid=2", None):  # hidepid: neither the zygote (PID 1) nor its other children
        try:
            mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, options)
            break
        except OSError:
            continue  # no /proc at all where the kernel refuses it (a user namespace in a container)


def drop_privileges(*, level: str, uid: int) -> None:
    """In the worker: no way back to privilege. As root the worker always becomes `uid`, even
    where no namespace could be made (a container without CAP_SYS_ADMIN): root-only files stay closed."""
    if os.geteuid() == 0:
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
        resource.RLIMIT_MSGQUEUE: 0,  # no POSIX message queue: they would outlive it without an IPC namespace
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


def counted_tasks(level: str) -> int:
    """How many tasks already count against the worker's RLIMIT_NPROC (its allowance is added to
    these). The kernel counts the tasks of the worker's uid: a dedicated uid as root has none;
    since Linux 5.14 the count is per user namespace, where only the zygote's launcher and the
    zygote precede the worker; otherwise every task the user runs counts."""
    if os.geteuid() == 0:
        return 0
    if level == "userns" and _kernel_version() >= (5, 14):
        return 2
    return tasks_of_user()


def _kernel_version() -> tuple[int, int]:
    match = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return (int(match[1]), int(match[2])) if match else (0, 0)


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


def mount_own_proc() -> bool:
    """In the zygote (PID 1 of its PID namespace, own mount namespace): a /proc that shows only
    the namespace's processes. False where the kernel refuses it."""
    try:
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        return True
    except OSError:
        return False


# Kernel keyrings (keyctl(2)): the system call numbers of the machines the grader runs on.
_KEY_SYSCALLS = {"x86_64": (248, 250), "aarch64": (217, 219), "arm64": (217, 219)}  # add_key, keyctl
KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_CLEAR, KEYCTL_GET_PERSISTENT = 1, 7, 22
KEY_SPEC_SESSION_KEYRING, KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING = -3, -4, -5


def keyctl(operation: int, *args: int | None) -> int:
    """keyctl(2); raises OSError (also where keyrings or this architecture are unknown)."""
    numbers = _KEY_SYSCALLS.get(platform.machine())
    if _libc is None or numbers is None:
        raise OSError("no keyctl here")
    _libc.syscall.restype = ctypes.c_long
    result = _libc.syscall(numbers[1], operation, *(ctypes.c_long(a) if a is not None else None for a in args))
    if result == -1:
        errno = ctypes.get_errno()
        raise OSError(errno, f"keyctl: {os.strerror(errno)}")
    return result


def user_keyrings_per_namespace() -> bool:
    """Since Linux 5.3 a user namespace has user keyrings of its own (emptying one there leaves
    the user's real keyring alone)."""
    return _kernel_version() >= (5, 3)


def fresh_keyrings(*, clear_user: bool) -> None:
    """In the worker, with its final uid, before any student code: a new, empty session keyring
    (not the grader's), and with `clear_user` its uid's user, user-session and persistent keyrings
    emptied (what an earlier worker with the same uid put there)."""
    try:
        keyctl(KEYCTL_JOIN_SESSION_KEYRING, None)
    except OSError:
        return  # no keyrings on this kernel
    if clear_user:
        _clear_user_keyrings()


def _clear_user_keyrings() -> None:
    for keyring in (KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING):
        try:
            keyctl(KEYCTL_CLEAR, keyring)
        except OSError:
            pass
    try:  # the persistent keyring would outlive every process of the uid by days
        keyctl(KEYCTL_CLEAR, keyctl(KEYCTL_GET_PERSISTENT, -1, KEY_SPEC_SESSION_KEYRING))
    except OSError:
        pass


def empty_keyrings_of(uid: int) -> None:
    """As root, when the zygote leaves: the keyrings of worker uid `uid` emptied (by a child that
    becomes `uid`), so nothing a worker stored there outlives the grader."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            keyctl(KEYCTL_JOIN_SESSION_KEYRING, None)
            _clear_user_keyrings()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def die_with_parent() -> None:
    """SIGKILL for this process when the one that forked it ends (the zygote, when its launcher is
    killed: as PID 1 of a PID namespace it takes every worker with it)."""
    try:
        prctl(PR_SET_PDEATHSIG, 9)
    except OSError:
        pass


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
