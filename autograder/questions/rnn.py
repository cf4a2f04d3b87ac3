"""Family "rnn": the vanilla RNN cell and BPTT (q1–q5). One definition per question; the pieces
they name live beside the other families' (drivers: support/rnn_checks.py, input draws:
fixtures/cases.py, torch oracles: fixtures/torch_oracle.py, self-checks: diagnosis/gradcheck.py,
bugs: diagnosis/bugs.py).

What q3 checks, and how: `rnn_cell_backward(da_next, cache)` is run in the sandbox by the driver
`run_q3` on a cache built from stored inputs; its dict's dxt, da_prev, dWax, dWaa, dba are compared
with torch autograd's (stored at build time, confirmed by the reference) within rtol 1e-6,
atol 1e-9; a failure is diagnosed against the q3 bugs of the library and by finite differences of
the submission's own q1 forward."""
from __future__ import annotations

from autograder.questions.registry import Cell, Family, Question

_DRIVERS = "autograder.questions.support.rnn_checks"
_CASES = "autograder.fixtures.cases"
_ORACLE = "autograder.fixtures.torch_oracle"
_GRADCHECK = "autograder.diagnosis.gradcheck"
_BUGS = "autograder.diagnosis.bugs"

FAMILY = Family(
    part="rnn",
    submission="rnn.py",
    reference="solutions.rnn",
    aliases={"rnn_utils": "solutions.rnn_utils"},  # `from rnn_utils import *`, as in the Coursera notebook
    preload=(_DRIVERS,),
    questions=(
        Question("q1", "rnn_cell_forward", 10, f"{_DRIVERS}:run_q1",
                 "one forward step: a_next, yt_pred (softmax per column) and the cache",
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case",
                 bugs=f"{_BUGS}:BUGS"),
        Question("q2", "rnn_forward", 10, f"{_DRIVERS}:run_q2",
                 "the forward pass over T_x steps, with the reference cell unless q1 passed",
                 cell=Cell("rnn_cell_forward", "q1"),
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case",
                 time_axes={"a": 2, "y_pred": 2},
                 carried="the hidden state is not carried forward (each step's a_next must be the next step's a_prev)",
                 bugs=f"{_BUGS}:BUGS"),
        Question("q3", "rnn_cell_backward", 20, f"{_DRIVERS}:run_q3",
                 "the gradients of one step: dxt, da_prev, dWax, dWaa, dba",
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case",
                 forward="q1", gradcheck=f"{_GRADCHECK}:q3_problem", bugs=f"{_BUGS}:BUGS"),
        Question("q4", "rnn_backward", 30, f"{_DRIVERS}:run_q4",
                 "full BPTT: dx, da0, dWax, dWaa, dba, with the reference cell unless q3 passed",
                 cell=Cell("rnn_cell_backward", "q3"),
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case",
                 forward="q2", time_axes={"dx": 2},
                 carried="the gradient from later steps is not carried back (da_prevt)",
                 gradcheck=f"{_GRADCHECK}:q4_problem", bugs=f"{_BUGS}:BUGS"),
        Question("q5", "RNNCell", 30, f"{_DRIVERS}:run_q5",
                 "the PyTorch-layout cell against torch.nn.RNN: next_h, dx_list, the gradient stacks, prev_dh",
                 methods=("__call__", "backward"),
                 draw=f"{_CASES}:batch_major_inputs", oracle=f"{_ORACLE}:rnn_cell_case",
                 forward_output="h", time_axes={"h": 0, "dx": 0},
                 carried="the gradient from later steps is not carried back (prev_dh)",
                 gradcheck=f"{_GRADCHECK}:q5_problem", bugs=f"{_BUGS}:BUGS"),
    ),
)
