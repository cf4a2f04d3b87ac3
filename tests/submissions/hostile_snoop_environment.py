# expect: *=ok
# base: reference
# Reconnaissance, harmless by itself: at import, prints the environment, uid/gid, cwd and its
# listing, /proc/self/status, /proc/self/mountinfo, /proc/1/cmdline, the parent's cmdline and the
# rlimits, i.e. what an attacker would look at to find the grader. Reading is not cheating and
# the functions are correct: all ok. (The grader should show that none of this leaks anything:
# clean env, hidden directories, no grader secrets in argv.)
import os
import resource


def _read(path, limit=4000):
    try:
        with open(path, "rb") as f:
            return f.read(limit).replace(b"\x00", b" ").decode("utf-8", "replace")
    except OSError as exc:
        return f"<{exc!r}>"


print("environ:", dict(os.environ))
print("uid/gid:", os.getuid(), os.geteuid(), os.getgid(), "pid", os.getpid(), "ppid", os.getppid())
try:
    print("cwd:", os.getcwd(), os.listdir("."))
except OSError as exc:
    print("cwd:", repr(exc))
for path in ("/proc/self/status", "/proc/self/mountinfo", "/proc/1/cmdline",
             f"/proc/{os.getppid()}/cmdline", f"/proc/{os.getppid()}/environ"):
    print(path, "->", _read(path))
for name in dir(resource):
    if name.startswith("RLIMIT_"):
        try:
            print(name, resource.getrlimit(getattr(resource, name)))
        except (ValueError, OSError):
            pass
