"""Reading a submission: a .py file, or a notebook whose code cells are joined into one module."""
from __future__ import annotations

import json
import re
from pathlib import Path

# Lines of a notebook that only make sense in Jupyter: magics, shell escapes, otter's own calls.
_NOTEBOOK_ONLY = re.compile(r"^\s*([%!]|grader\s*=\s*otter\.|grader\.(check|export)|import otter\b)")


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
        source = "".join(source) if isinstance(source, list) else str(source)
        chunks.append("\n".join(f"# (notebook only) {line}" if _NOTEBOOK_ONLY.match(line) else line
                                for line in source.splitlines()))
    code = "\n\n".join(chunks)
    if not code.strip():
        raise UnreadableSubmission("the notebook has no code cells")
    return code + "\n"


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
    return text
