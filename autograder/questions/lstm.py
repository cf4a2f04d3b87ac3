"""Family "lstm": Coursera's LSTM, forward and backward (q9–q12). The pieces they name live beside
the other families' (drivers: support/rnn_checks.py, case specs and draws: fixtures/cases_part2.py,
torch oracles: fixtures/torch_oracle_part2.py, bugs: diagnosis/bugs_part2.py).

What q12 checks, and how: `lstm_backward(da, caches)` is run in the sandbox by the driver
`run_q12` on the caches of a stored forward pass (torch.nn.LSTM's, one step at a time, rebuilt in
Coursera's cache layout) with the reference `lstm_cell_backward` as its cell unless q11 passed;
its dict's dx, da0, dWf … dbo are compared with torch autograd's (the weight mapping of the
handout) within rtol 1e-6, atol 1e-9. Graded cases have da for every cached step (the handout
tells why the notebook's own example does not)."""
from __future__ import annotations

from autograder.questions.registry import Cell, Family, Question

_DRIVERS = "autograder.questions.support.rnn_checks"
_CASES = "autograder.fixtures.cases_part2"
_ORACLE = "autograder.fixtures.torch_oracle_part2"
_GUARDS = "autograder.core.callbacks"
_BUGS = "autograder.diagnosis.bugs_part2:BUGS_PART2"
_BUILD = {"oracle": f"{_ORACLE}:case_values", "specs": f"{_CASES}:CASES", "bugs": _BUGS,
          "reference_case": "autograder.fixtures.reference_cases:part2_case"}

FAMILY = Family(
    part="lstm",
    submission="rnn.py",
    reference="solutions.rnn",
    aliases={"rnn_utils": "solutions.rnn_utils"},
    preload=(_DRIVERS,),
    questions=(
        Question("q9", "lstm_cell_forward", 10, f"{_DRIVERS}:run_q9",
                 "one LSTM step: a_next, c_next, yt_pred and Coursera's cache, against torch.nn.LSTM",
                 draw=f"{_CASES}:draw_q9", section="Part 9", dimensions=("n_x", "n_a", "n_y", "m"),
                 formulas={"c_next": "c_next = ft ⊙ c_prev + it ⊙ cct", "a_next": "a_next = ot ⊙ tanh(c_next)",
                           "yt_pred": "yt_pred = softmax(Wy·a_next + by)"},
                 **_BUILD),
        Question("q10", "lstm_forward", 10, f"{_DRIVERS}:run_q10",
                 "the LSTM over T_x steps from c0 = 0, with the reference cell unless q9 passed",
                 cell=Cell("lstm_cell_forward", "q9", f"{_GUARDS}:lstm_cell_forward_arguments",
                           ("xt", "a_prev", "c_prev", "parameters"), ("a_next", "c_next", "yt_pred", "cache"),
                           {"a_next": "a⟨{t}⟩", "c_next": "c⟨{t}⟩"}),
                 draw=f"{_CASES}:draw_q10", time_axes={"a": 2, "y": 2, "c": 2},
                 carried="the hidden and cell states are not carried forward (a_next, c_next)",
                 section="Part 10", dimensions=("n_x", "n_a", "n_y", "m", "T_x"),
                 step_names={"a": "a_next", "y": "yt_pred", "c": "c_next"},
                 **_BUILD),
        Question("q11", "lstm_cell_backward", 20, f"{_DRIVERS}:run_q11",
                 "the gradients of one LSTM step: dxt, da_prev, dc_prev, dWf … dbo",
                 draw=f"{_CASES}:draw_q11", forward="q9", section="Part 11", dimensions=("n_x", "n_a", "m"),
                 formulas={"dc_prev": "dc_prev = (dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next) ⊙ ft"},
                 **_BUILD),
        Question("q12", "lstm_backward", 20, f"{_DRIVERS}:run_q12",
                 "LSTM BPTT: dx, da0, dWf … dbo, with the reference cell unless q11 passed",
                 cell=Cell("lstm_cell_backward", "q11", f"{_GUARDS}:lstm_cell_backward_arguments",
                           ("da_next", "dc_next", "cache")),
                 draw=f"{_CASES}:draw_q12", forward="q10", time_axes={"dx": 2},
                 carried="the gradients from later steps are not carried back (da_prevt, dc_prevt)",
                 section="Part 12", dimensions=("n_x", "n_a", "m", "T_x"), step_names={"dx": "dxt"},
                 **_BUILD),
    ),
)
