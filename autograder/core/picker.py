"""Which file in a student's folder is the submission: one rule for `grade` (a per-student folder
of a class) and `gradescope` (the uploaded files).

rnn.py (or the notebook rnn_bptt.ipynb), the shallowest first; else the only .py file; else the
only notebook. Hidden entries (.x, ._x: macOS metadata) and tool folders (__MACOSX, __pycache__)
are not looked at, nor rnn_utils.py (shipped with the assignment; students may upload it too);
a linked folder is never entered and a linked file is chosen like a file, then refused unread."""
from __future__ import annotations

import os
from pathlib import Path

from autograder.core.submission import EmptySubmission, UnreadableSubmission

PREFERRED = ("rnn.py", "rnn_bptt.ipynb")
NOT_SUBMISSIONS = frozenset({"rnn_utils.py"})
SUFFIXES = (".py", ".ipynb")
MAX_ENTRIES = 10_000  # entries looked at in one student's folder


def _hidden(name: str) -> bool:
    return name.startswith((".", "__"))


def _scan(folder: Path) -> tuple[list[Path], list[str]]:
    """(the .py/.ipynb entries under `folder`, shallowest first; the names of the other files)."""
    found, others, stack, seen = [], [], [folder], 0
    while stack and seen < MAX_ENTRIES:
        try:
            entries = sorted(os.scandir(stack.pop()), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if _hidden(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif Path(entry.name).suffix.lower() in SUFFIXES and entry.name not in NOT_SUBMISSIONS:
                found.append(Path(entry.path))
            else:
                others.append(entry.name)
    return sorted(found, key=lambda p: (len(p.parts), str(p))), others


def pick_submission(folder: Path) -> Path:
    """The submission in `folder`; UnreadableSubmission when several files could be it,
    EmptySubmission when there is none (the message says what to upload)."""
    files, others = _scan(folder)
    for name in PREFERRED:
        named = [p for p in files if p.name == name]
        if named:
            return named[0]
    for suffix in SUFFIXES:
        of_kind = [p for p in files if p.suffix.lower() == suffix]
        if len(of_kind) == 1:
            return of_kind[0]
        if of_kind:
            names = ", ".join(str(p.relative_to(folder)) for p in of_kind[:5])
            raise UnreadableSubmission(f"more than one file could be the submission: several {suffix} "
                                                     f"files ({names}); name yours {PREFERRED[0]}")
    found = ", ".join(others[:10]) or "nothing"
    raise EmptySubmission(f"no .py or .ipynb file in the submission (found: {found}); "
                                                  f"submit your {PREFERRED[0]} or {PREFERRED[1]}")
