"""Untrusted text (printed output, exception text, names) written into the files people open:
Markdown feedback, Gradescope's output, spreadsheets. Each writer puts student text through one
of these, so it stays text: no heading, score line, tag, link or formula can come out of it."""
from __future__ import annotations

import re

_BACKTICKS = re.compile(r"`+")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection


def md_code(text: str, *, indent: str = "", max_lines: int | None = None) -> list[str]:
    """`text` as the lines of a fenced Markdown code block whose fence is longer than any run of
    backticks inside, so nothing in it can close the block; every line starts with `indent` (a
    list item's), so nothing in it can end the item either. Code blocks show HTML as text."""
    lines = text.splitlines()[:max_lines] if max_lines is not None else text.splitlines()
    fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(text)), default=0))
    return [indent + fence, *(indent + line for line in lines), indent + fence]


def md_text(text: str) -> str:
    """`text` for inline Markdown (a heading, a list item): one line without leading blanks (no
    indented code), every ASCII punctuation character backslash-escaped, so it cannot be a
    heading, list, emphasis, link, HTML tag or entity."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.splitlines()).strip())


def plain_block(text: str, *, indent: str = "    ", max_lines: int | None = None) -> str:
    """`text` for a plain-text report (Gradescope's "text" output), every line indented, so a
    line the submission printed never looks like one of the grader's own lines."""
    lines = text.splitlines()[:max_lines] if max_lines is not None else text.splitlines()
    return "\n".join(indent + line for line in lines)


def csv_cell(value: object) -> str:
    """A spreadsheet cell that is never a formula (OWASP: a leading ' before =, +, -, @, tab, CR)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
