"""The results are the boundary for untrusted text: whatever a submission or an export puts in a
message, an output, a name or an identity, the record is valid UTF-8 JSON of printable text."""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from autograder.core.results import TEXT_LIMIT, CaseResult, QuestionResult, SubmissionResult, inert_text, worst_status


def test_unsafe_characters_are_replaced() -> None:
    assert inert_text("a\udcffb\x00c\x1b[2Jd\re\u202ef\x85") == "a\ufffdb\ufffdc\ufffd[2Jd\ufffde\ufffdf\ufffd"
    assert inert_text("keeps\ttabs\nand lines\r\n") == "keeps\ttabs\nand lines\n"


def test_long_text_is_capped_with_a_note() -> None:
    text = inert_text("x" * (TEXT_LIMIT + 10))
    assert text.startswith("x" * TEXT_LIMIT) and text.endswith("[10 more characters not kept]")


# any text, lone surrogates (a non-UTF-8 file name, a crafted exception) and controls included
UNTRUSTED = st.lists(st.one_of(st.characters(), st.sampled_from(["\udcff", "\ud800", "\x00", "\x1b", "\r"]))
                     ).map("".join)


@given(UNTRUSTED, UNTRUSTED)
def test_every_result_serialises_as_utf8(message: str, name: str) -> None:
    case = CaseResult("public", False, 0.0, 1.0, "failed", message)
    question = QuestionResult("q1", 0.0, 1.0, "failed", [case], hints=[message])
    result = SubmissionResult(name, "failed", {"q1": question}, output=message, message=message,
                              identity={"name": message})
    line = json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")  # raised on "\udcff"
    assert b"\x1b" not in line and b"\x00" not in line
    assert SubmissionResult.from_json(json.loads(line)).to_json() == result.to_json()


def test_a_question_not_attempted_ranks_below_a_wrong_answer() -> None:
    """Issue 10: the row of a file with q5 left out reads not_implemented, not like a crash; a
    wrong answer or any problem running the file outranks it."""
    assert worst_status(["ok", "ok", "not_implemented"]) == "not_implemented"
    assert worst_status(["failed", "not_implemented"]) == "failed"
    assert worst_status(["not_implemented", "timeout", "refused"]) == "refused"
