"""What a worker sees and may do at each isolation level (README, "What the sandbox guarantees"):
as the grader's user (root in CI), forced to "none", and as a fresh unprivileged user with user
namespaces (when this machine allows it)."""
from __future__ import annotations

import json
import os
import pwd
import resource
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

from autograder.config import GraderConfig
from autograder.sandbox.zygote_client import DEFAULT_UID_BASE, Sandbox
from tests.sandbox.probes import CONFIG, REPO, SLOT, SECRET_PATHS, isolation_report, open_probe, settled

HIDDEN = ("FileNotFoundError", "PermissionError")
USER_TOOLS = {t: shutil.which(t) for t in ("useradd", "userdel", "runuser")}  # often in /usr/sbin


def _assert_contained(report: dict[str, Any]) -> None:
    """The guarantees shared by "root" and "userns": a new root, no capabilities, own PID and
    network namespaces, the process allowance of the config."""
    assert report["uid"] != 0
    assert all(report["read"][p] in HIDDEN for p in SECRET_PATHS), report["read"]
    # The checkout is invisible, but for the path to a virtual environment inside it.
    venv = [Path(sys.prefix).relative_to(REPO).parts[0]] if Path(sys.prefix).is_relative_to(REPO) else []
    assert report["list"][str(REPO)] in (*HIDDEN, venv) and report["list"]["/tmp"] == sorted(
        {"work", *(p.split("/")[2] for p in (sys.prefix, sys.base_prefix) if p.startswith("/tmp/"))})
    assert not {"home", "root", "work", "var", "run"} & set(report["root"]) - {
        Path(p).parts[1] for p in (sys.prefix, sys.base_prefix)}, report["root"]
    assert report["caps"] == ["0000000000000000"] * 4 and report["no_new_privs"] == "1"
    assert {k: report[k] for k in ("umount", "mount", "chroot", "unshare_user")} == dict.fromkeys(
        ("umount", "mount", "chroot", "unshare_user"), "EPERM")
    # Its own processes only: not the zygote (PID 1 of the slot's PID namespace), nor earlier workers.
    assert report["processes"] == [report["pid"]] and report["pid"] > 1
    assert report["names"] == {"self": "rnn-worker", "1": "FileNotFoundError"}  # `ps` on the grader's side
    assert report["interfaces"] == ["lo"]
    # The worker itself counts; as root, so do workers of concurrent graders with the same uid.
    allowance = CONFIG.max_processes - 1
    assert report["forks"] == allowance if report["level"] == "userns" else 1 <= report["forks"] <= allowance


def test_worker_as_grader_user() -> None:
    report = isolation_report("auto")
    if report["level"] == "none":
        pytest.skip("no namespaces for this user here: see test_forced_none_mode")
    _assert_contained(report)
    if report["level"] == "root":
        assert report["uid"] == DEFAULT_UID_BASE + SLOT


def test_no_worker_leaves_anything_for_the_next() -> None:
    """Workers of one zygote share its PID namespace and its read-only root, nothing else: not a
    file in the working directory or at the root, not an IPC object."""
    sandbox = Sandbox(slot=SLOT)
    try:
        first = open_probe(sandbox)
        first.call("find_traces", [])
        if sandbox.isolation == "none":
            pytest.skip("no namespaces for this user here")
        left = first.call("leave_traces", [])
        first.close()
        second = open_probe(sandbox)
        found = second.call("find_traces", [])
        second.close()
    finally:
        sandbox.close()
    assert left["workdir"] == "written" and left["shm"] == "created"  # the attempts were real
    assert left["root"] in ("PermissionError", "OSError")  # EACCES or EROFS
    assert found == {"workdir": False, "root": False, "shm": False}


def test_forced_none_mode() -> None:
    """No namespaces: the worker sees the machine, but keeps its limits and (as root) its own uid."""
    report = isolation_report("none")
    assert report["level"] == "none"
    assert report["pid"] > 2 and len(report["processes"]) > 2  # no PID namespace
    assert report["root"] != report["list"].get("/tmp")
    assert report["caps"] == ["0000000000000000"] * 4 and report["no_new_privs"] == "1"
    if os.geteuid() == 0:
        assert report["uid"] == DEFAULT_UID_BASE + SLOT and 1 <= report["forks"] <= CONFIG.max_processes - 1
    else:  # the user's own uid: the allowance comes on top of all its tasks at the start
        assert CONFIG.max_processes < report["nproc"] != resource.RLIM_INFINITY and report["forks"] >= 1


def test_isolation_setting_is_checked() -> None:
    with pytest.raises(ValueError):
        GraderConfig(isolation="off")  # type: ignore[arg-type]


def _run_as(user: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/", "LANG": "C.UTF-8", "PYTHONPATH": str(REPO)}
    return subprocess.run([str(USER_TOOLS["runuser"]), "-u", user, "--", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _tasks_of(uid: int) -> list[int]:
    tasks = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                tasks.append(int(entry.name))
        except OSError:
            continue
    return tasks


@pytest.fixture
def unprivileged_user() -> Iterator[str]:
    """A throwaway system user (no home), deleted afterwards; skips where that is impossible."""
    if os.geteuid() != 0 or not all(USER_TOOLS.values()):
        pytest.skip("needs root with useradd, userdel and runuser")
    name = f"rnnprobe{uuid.uuid4().hex[:8]}"
    if subprocess.run([str(USER_TOOLS["useradd"]), "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                      capture_output=True).returncode != 0:
        pytest.skip("useradd failed")
    try:
        yield name
    finally:
        subprocess.run([str(USER_TOOLS["userdel"]), name], capture_output=True)


def test_worker_as_unprivileged_user(unprivileged_user: str) -> None:
    """The README's second row: an ordinary user with user namespaces gets the same new root,
    keeps its uid (mapped 1:1, setgroups denied) but no capability, and the process allowance is
    counted in its user namespace, not against everything the user runs."""
    usable = _run_as(unprivileged_user, sys.executable, "-c", "import numpy, otter, autograder, tests.sandbox")
    if usable.returncode != 0:
        pytest.skip(f"this interpreter or checkout is not usable by another user: {usable.stderr[-300:]}")
    uid = pwd.getpwnam(unprivileged_user).pw_uid
    run = _run_as(unprivileged_user, sys.executable, "-m", "tests.sandbox.probes", "auto")
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout)
    if report["level"] == "none":
        pytest.skip("user namespaces are not available to unprivileged users on this machine")
    assert report["level"] == "userns" and report["uid"] == uid
    assert report["maps"] == {"uid_map": [str(uid), str(uid), "1"], "gid_map": report["maps"]["gid_map"],
                              "setgroups": ["deny"]}
    assert report["maps"]["gid_map"][2] == "1"
    _assert_contained(report)
    assert settled(lambda: _tasks_of(uid)) == []  # nothing of the user's is left
