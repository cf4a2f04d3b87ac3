# expect: *=ok
# base: reference
# sandbox-only: without a PID namespace or uid separation this SIGKILLs the process that started the worker
# Attacks the grader process: at import, tries os.setuid(0) (privilege escalation) and SIGKILLs
# its parent process. Guarded so it can never hit anything but a Python parent: never pid 0 (that
# would be its own process group), never pid 1, never kill(-1); only if /proc/<ppid>/comm says
# python. Under the sandbox (own PID namespace, where the parent is invisible and getppid() is 0,
# or another uid) the attempts fail harmlessly and the submission, otherwise correct, is all ok.
# A grader whose worker is a direct same-uid child of the grading process loses that process:
# exactly the failure this fixture exists to reveal (the test module must expect all ok and the
# batch to go on).
import os
import signal

try:
    os.setuid(0)
except OSError as exc:
    print("setuid(0):", repr(exc))

_ppid = os.getppid()
if _ppid > 1:
    try:
        with open(f"/proc/{_ppid}/comm") as _f:
            _comm = _f.read().strip()
    except OSError:
        _comm = ""
    if "python" in _comm or "pytest" in _comm:
        try:
            os.kill(_ppid, signal.SIGKILL)
        except OSError as exc:
            print("kill(ppid):", repr(exc))
