"""`rnn-grader bench` with a tiny class: the format of its last line (not a timed test)."""
from __future__ import annotations

import re

from autograder.cli import main

LAST_LINE = re.compile(r"bench: 6 submissions, \d+(\.\d+)? submissions/s, n/a x otter run, peak RSS \d+ MB")


def test_last_line(capsys) -> None:
    assert main(["bench", "--n", "6", "--otter-sample", "0", "--timeout", "1", "-j", "2"]) == 0
    last = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert LAST_LINE.fullmatch(last), last
