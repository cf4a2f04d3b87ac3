"""Student text in Markdown and spreadsheets stays text: rendered by a real CommonMark parser
(markdown-it-py), a code block holds exactly the text, whatever backticks, tildes, headings or
tags it contains, and inline text is never markup; CSV cells are never formulas (OWASP)."""
from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from autograder.core.markup import csv_cell, md_code, md_text, plain_block
from autograder.core.results import inert_text

COMMONMARK = MarkdownIt("commonmark")
# What makes Markdown: fences, headings, emphasis, tags, entities, links, list and quote markers.
NASTY = st.lists(st.sampled_from([*"`~#*_<>&[]()!-+=|\\ \t\nab1.:;/\"'\u2028", "```", "~~~", "    "]),
                 max_size=40).map("".join)


def _code_blocks(markdown: str) -> list[str]:
    return [t.content for t in COMMONMARK.parse(markdown) if t.type == "fence"]


@settings(max_examples=300, deadline=None)
@given(NASTY, st.sampled_from(["", "  "]))
def test_a_code_block_holds_exactly_the_text(text: str, indent: str) -> None:
    text = inert_text(text)
    item = ["- ✗ a case (failed)", ""] if indent else []
    document = "\n".join(["# Feedback for ann", "", *item, *md_code(text, indent=indent), "", "**Total: 0 / 100**", ""])
    tokens = COMMONMARK.parse(document)
    assert _code_blocks(document) == ["".join(line + "\n" for line in text.splitlines())]
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]  # only ours
    inline = [child.type for t in tokens for child in (t.children or [])]
    assert inline.count("strong_open") == 1 and "html_inline" not in inline  # only ours


@settings(max_examples=300, deadline=None)
@given(NASTY)
def test_inline_text_is_never_markup(text: str) -> None:
    rendered = COMMONMARK.render("# Feedback for " + md_text(inert_text(text)))
    tokens = COMMONMARK.parseInline(md_text(inert_text(text)))
    kinds = {child.type for t in tokens for child in (t.children or [])}
    assert kinds <= {"text", "softbreak"}, kinds
    assert rendered.startswith("<h1>") and rendered.count("<") == 2  # <h1> and </h1>: no tag of theirs


def test_fence_is_longer_than_any_backtick_run() -> None:
    block = md_code("a ```` b\n``````")
    assert block[0] == block[-1] == "`" * 7


def test_html_in_a_code_block_is_shown_as_text() -> None:
    rendered = COMMONMARK.render("\n".join(md_code("<img src=x onerror=alert(1)>")))
    assert "<img" not in rendered and html.escape("<img src=x onerror=alert(1)>", quote=False) in rendered


def test_plain_block_indents_every_line() -> None:
    assert plain_block("Total: 100 / 100\n✓ q1") == "    Total: 100 / 100\n    ✓ q1"


def test_csv_cells_are_never_formulas() -> None:
    for dangerous in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(dangerous) == "'" + dangerous
    assert csv_cell("ann") == "ann" and csv_cell("x=1") == "x=1"
