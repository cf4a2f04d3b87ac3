"""What failed in a case, described without revealing it: only our words, the student's own lines
and shapes in the case's dimension names; never a value, nor text the student's code produced."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.diagnosis.failures import (Failure, Source, case_class, describe, exception_words,
                                           meaning_hints, time_index_hints)

SOURCE = Source('''import numpy as np

def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dtanh = (1 - a_next ** 2) * np.squeeze(da_next)
    dba = np.sum(dtanh, axis=1).reshape(5, 1)
    return dba

def rnn_backward(da, caches):
    for t in reversed(range(4)):
        g = da[:, t, :]
    return g
''')
PUBLIC = {"n_x": 3, "n_a": 5, "n_y": 2, "m": 10, "T_x": 4}
M1 = {"n_x": 3, "n_a": 6, "n_y": 2, "m": 1, "T_x": 12}


def test_the_exception_shows_its_type_the_students_line_and_shapes_only() -> None:
    message = "ValueError: cannot reshape array of size 6 into shape (5,1) (line 6: whatever the worker says)"
    text, line = exception_words(message, SOURCE, M1)
    assert text == "ValueError at line 6: `dba = np.sum(dtanh, axis=1).reshape(5, 1)`"  # 5 is no size of M1
    assert line == 6 and "whatever" not in text and "size 6" not in text
    text, _ = exception_words("ValueError: operands could not be broadcast together with shapes (6,1) (3,1) "
                              "(line 5: x)", SOURCE, M1)
    assert text.endswith("(shapes (n_a, m) and (n_x, m))")


@pytest.mark.parametrize("message", [
    "Leak0p73Error: 0.7312 0.1 (line 6: x)",      # a class named to carry a value
    "ValueError: the hidden x is 0.7312",           # a message the student wrote
    "RuntimeError: shapes 0.7312 (12345,)",         # numbers that are no size of the case
    "ValueError: could not broadcast (7312, 6)",
])
def test_nothing_of_the_message_but_a_builtin_type_is_shown(message: str) -> None:
    text, _ = exception_words(message, SOURCE, M1)
    assert "0.7312" not in text and "0p73" not in text and "12345" not in text and "hidden" not in text


def test_case_classes() -> None:
    assert case_class("q4", M1, PUBLIC) == "m = 1, long (T_x = 12), other sizes (n_a = 6)"
    assert case_class("q3", {"n_x": 6, "n_a": 4, "n_y": 3, "m": 7}, PUBLIC) == "other sizes (n_x = 6, n_a = 4, m = 7)"
    assert case_class("q2", {**PUBLIC, "T_x": 1}, PUBLIC) == "T_x = 1"


def _failure(dims: dict[str, int], status: str = "failed", outputs=None) -> Failure:
    return Failure("q3 hidden: other sizes", True, status, "ValueError: x (line 6: y)", dims, outputs,
                   {"dba": np.zeros((dims["n_a"], 1))})


def test_a_size_written_into_the_code() -> None:
    (line,) = meaning_hints("q3", _failure({"n_x": 3, "n_a": 7, "m": 10}), SOURCE, PUBLIC)
    assert line.startswith("your code assumes n_a = 5, the public case's size (`dba = np.sum(dtanh, axis=1)"
                           ".reshape(5, 1)` at line 6)")
    # the same code on a case with the public n_a: nothing to say about sizes
    assert not [h for h in meaning_hints("q3", _failure({"n_x": 4, "n_a": 5, "m": 10}), SOURCE, PUBLIC)
                if "assumes" in h]


def test_squeeze_when_a_dimension_is_one() -> None:
    found = meaning_hints("q3", _failure({"n_x": 3, "n_a": 5, "m": 1}), SOURCE, PUBLIC)
    assert any(h.startswith("np.squeeze also drops the batch axis when m = 1") for h in found)
    assert not any("squeeze" in h for h in meaning_hints("q3", _failure({"n_x": 3, "n_a": 5, "m": 4}), SOURCE, PUBLIC))


def test_a_loop_of_fixed_length() -> None:
    (line,) = meaning_hints("q4", _failure({**M1, "m": 10, "n_a": 5}), SOURCE, PUBLIC)
    assert line.startswith("your loop runs a fixed number of steps (`for t in reversed(range(4)):` at line 10)")


def test_the_step_on_the_wrong_axis() -> None:
    (line,) = time_index_hints("q4", SOURCE)
    assert line.startswith("you index da with the step t on axis 1 (`da[:, t, :]` at line 11)")


def test_describe_a_case_that_returned() -> None:
    failure = Failure("q5 hidden: one time step", True, "failed", "", {"n_x": 4, "n_a": 5, "m": 3, "T_x": 1},
                      {"dh0": np.ones((3, 4))}, {"dh0": np.ones((3, 5))})
    assert describe("q5", failure, SOURCE) == ("hidden case “q5 hidden: one time step” failed — prev_dh after the last backward (the "
                    "gradient of h0) has shape (m, n_x), expected (m, n_a)")
