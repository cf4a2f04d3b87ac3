# expect: *=ok
# base: reference
# sandbox-only: if not contained, creates new files HOSTILE_FORGED_<pid>.txt in /tmp and parent dirs
# Attacks containment of processes that leave the worker's process group: at import, a
# double-forked setsid daemon (ignoring SIGTERM/SIGHUP, keeping the worker's inherited file
# descriptors open, so a grader that waits for EOF on the worker's pipes would hang) sleeps 3 s,
# then for 60 s tries once a second to create a file HOSTILE_FORGED_<pid>.txt in: the parents of
# its original working directory, /tmp, and every path in $RNN_GRADER_OUT. Files are only ever
# created with mode "x" (never overwrites, never deletes). The questions are unaffected (all ok);
# the daemon must be killed when the worker ends (PID namespace / cgroup: killpg does not reach
# it after setsid), so no HOSTILE_FORGED_* file may appear, in the grading output or anywhere.
import os
import signal
import time


def _forge_targets(original_cwd):
    dirs = []
    if original_cwd:
        p = os.path.dirname(original_cwd)
        while True:
            dirs.append(p)
            parent = os.path.dirname(p)
            if parent == p:
                break
            p = parent
    dirs.append("/tmp")
    for p in os.environ.get("RNN_GRADER_OUT", "").split(os.pathsep):
        if p:
            dirs.append(p)
    seen = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return seen


def _forge_loop(targets):
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (ValueError, OSError):
            pass
    time.sleep(3)
    done = set()
    deadline = time.time() + 60
    name = f"HOSTILE_FORGED_{os.getpid()}.txt"
    while time.time() < deadline and len(done) < len(targets):
        for d in targets:
            if d in done:
                continue
            try:
                with open(os.path.join(d, name), "x") as f:
                    f.write("FORGED\n")
                done.add(d)
            except FileExistsError:
                done.add(d)
            except OSError:
                pass
        time.sleep(1)


def _start_daemon():
    try:
        original_cwd = os.getcwd()
    except OSError:
        original_cwd = None
    targets = _forge_targets(original_cwd)
    try:
        pid = os.fork()
    except OSError:
        return
    if pid > 0:
        try:
            os.waitpid(pid, 0)  # reap the intermediate child
        except ChildProcessError:
            pass
        return
    try:  # intermediate child
        os.setsid()
        if os.fork() == 0:
            try:  # the daemon
                os.chdir("/")
                _forge_loop(targets)
            except BaseException:
                pass
            finally:
                os._exit(0)
    except BaseException:
        pass
    finally:
        os._exit(0)


_start_daemon()
