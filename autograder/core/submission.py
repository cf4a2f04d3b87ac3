"""Reading a submission: a .py file, or a notebook whose code cells are joined into one module.

The file is opened without following a symbolic link and read only up to its size limit: what a
student uploads is data, never a pointer to someone else's file."""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

# Lines that only make sense in Jupyter: otter's own calls, and magics as a .py export writes
# them (get_ipython()); in a notebook's cells also the magics and shell escapes themselves.
_JUPYTER_CALL = r"get_ipython\(\)|grader\s*=\s*otter\.|grader\.(check|export)|import otter\b"
_NOTEBOOK_ONLY = re.compile(rf"^\s*([%!]|{_JUPYTER_CALL})")
_EXPORT_ONLY = re.compile(rf"^\s*({_JUPYTER_CALL})")
_CELL_MAGIC = re.compile(r"\s*%%(\w+)")
# Cell magics whose body is Python run in the notebook's namespace; any other (%%bash, %%sh,
# %%script, %%writefile, %%html, %%javascript, %%latex, %%markdown, …) is not Python code.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})


class UnreadableSubmission(Exception):
    """The file is not a submission we can grade (not UTF-8, broken notebook JSON, several
    candidates): the message says why in one line; `status` (results.STATUSES) comes from the
    exception's type, never from its words."""

    status = "unreadable"


class RefusedSubmission(UnreadableSubmission):
    """A file that is not opened or not read to its end: a symbolic link, not a regular file, over its size limit."""

    status = "refused"


class EmptySubmission(UnreadableSubmission):
    """Nothing to grade: an empty file, a notebook without code, no file at all."""

    status = "not_implemented"


@dataclass(frozen=True)
class Source:
    """The Python code to grade, and notes for the student on what was left out of it."""

    code: str
    notes: tuple[str, ...] = ()


def notebook_source(text: str) -> Source:
    """The code cells of a notebook (nbformat 4 JSON), notebook-only lines commented out and
    cells of another language (a non-Python cell magic) dropped with a note."""
    try:
        notebook = json.loads(text)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise UnreadableSubmission("the notebook is not valid .ipynb JSON; re-download it from Jupyter") from None
    chunks, dropped = [], []
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(map(str, source)) if isinstance(source, list) else str(source)
        magic = _CELL_MAGIC.match(source)
        if magic and magic[1] not in PYTHON_CELL_MAGICS:
            dropped.append(f"cell {number} (%%{magic[1]})")
            continue
        chunks.append(_comment_out(source, _NOTEBOOK_ONLY))
    code = "\n\n".join(chunks)
    if not code.strip():
        raise EmptySubmission("the notebook has no code cells")
    notes = (f"not graded as Python: {', '.join(dropped[:10])}{' …' if len(dropped) > 10 else ''}"
             " (a cell magic of another language)",) if dropped else ()
    return Source(code + "\n", notes)


def _comment_out(source: str, pattern: re.Pattern[str]) -> str:
    """Every line matching `pattern` becomes `pass` at its own indentation (a block it was alone
    in stays valid), with the line as a comment."""
    return "\n".join(f"{line[:len(line) - len(line.lstrip())]}pass  # (notebook only) {line.strip()}"
                     if pattern.match(line) else line for line in source.splitlines())


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of the regular file `path`, opened without following a symbolic link, at most
    `max_bytes` of them (UnreadableSubmission "refused" otherwise)."""
    name = path.name
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        if os.path.islink(path):
            raise RefusedSubmission(f"{name} is a symbolic link; links are not graded, "
                                                  "submit the file itself") from None
        raise UnreadableSubmission(f"cannot read {name}: {e.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedSubmission(f"{name} is not a regular file")
        if info.st_size > max_bytes:
            raise RefusedSubmission(f"{name} is {info.st_size / 2**20:.1f} MB, more than the "
                                                  f"{max_bytes / 2**20:g} MB allowed for a {path.suffix} submission")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise UnreadableSubmission(f"cannot read {name}: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # it grew while we read it
        raise RefusedSubmission(f"{name} is larger than the {max_bytes / 2**20:g} MB allowed")
    return data


def read_source(path: Path, *, max_bytes: int) -> Source:
    """The Python source of a submission file (.py or .ipynb) of at most `max_bytes`."""
    data = read_bytes(path, max_bytes=max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableSubmission(f"{path.name} is not UTF-8 text; save it as a plain .py file") from None
    if path.suffix.lower() == ".ipynb":
        return notebook_source(text)
    if not text.strip():
        raise EmptySubmission(f"{path.name} is empty")
    # A notebook downloaded as .py: otter's calls would import otter and look for its tests in
    # the sandbox; a bare % line is left alone (in a .py it may continue an expression).
    if any(_EXPORT_ONLY.match(line) for line in text.splitlines()):
        return Source(_comment_out(text, _EXPORT_ONLY) + "\n")
    return Source(text)
