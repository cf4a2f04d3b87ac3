"""Reading a submission: a .py file, or a notebook whose code cells are joined into one module."""
from __future__ import annotations

import json
import re
from pathlib import Path

# Lines that only make sense in Jupyter: otter's own calls, and magics as a .py export writes
# them (get_ipython()); in a notebook's cells also the magics and shell escapes themselves.
_JUPYTER_CALL = r"get_ipython\(\)|grader\s*=\s*otter\.|grader\.(check|export)|import otter\b"
_NOTEBOOK_ONLY = re.compile(rf"^\s*([%!]|{_JUPYTER_CALL})")
_EXPORT_ONLY = re.compile(rf"^\s*({_JUPYTER_CALL})")


class UnreadableSubmission(Exception):
    """The file is not a submission we can read; the message says why in one line."""


def notebook_source(text: str) -> str:
    """The code cells of a notebook (nbformat 4 JSON), notebook-only lines commented out."""
    try:
        notebook = json.loads(text)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError):
        raise UnreadableSubmission("the notebook is not valid .ipynb JSON; re-download it from Jupyter") from None
    chunks = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        chunks.append(_comment_out("".join(source) if isinstance(source, list) else str(source), _NOTEBOOK_ONLY))
    code = "\n\n".join(chunks)
    if not code.strip():
        raise UnreadableSubmission("the notebook has no code cells")
    return code + "\n"


def _comment_out(source: str, pattern: re.Pattern[str]) -> str:
    """Every line matching `pattern` becomes `pass` at its own indentation (a block it was alone
    in stays valid), with the line as a comment."""
    return "\n".join(f"{line[:len(line) - len(line.lstrip())]}pass  # (notebook only) {line.strip()}"
                     if pattern.match(line) else line for line in source.splitlines())


def read_source(path: Path) -> str:
    """The Python source of a submission file (.py or .ipynb)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableSubmission(f"cannot read {path.name}: {e.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableSubmission(f"{path.name} is not UTF-8 text; save it as a plain .py file") from None
    if path.suffix.lower() == ".ipynb":
        return notebook_source(text)
    if not text.strip():
        raise UnreadableSubmission(f"{path.name} is empty")
    # A notebook downloaded as .py: otter's calls would import otter and look for its tests in
    # the sandbox; a bare % line is left alone (in a .py it may continue an expression).
    if any(_EXPORT_ONLY.match(line) for line in text.splitlines()):
        return _comment_out(text, _EXPORT_ONLY) + "\n"
    return text
