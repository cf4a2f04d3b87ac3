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
_DETECTORS = "autograder.diagnosis.detectors"
_GUARDS = "autograder.core.callbacks"
_REFERENCE_CASE = "autograder.fixtures.reference_cases:rnn_case"
_STEP_CACHES = {"caches[0][t][0]": 2, "caches[0][t][1]": 2, "caches[0][t][2]": 2, "caches[0][t][3]": 0}

FAMILY = Family(
    part="rnn",
    submission="rnn.py",
    reference="solutions.rnn",
    aliases={"rnn_utils": "solutions.rnn_utils"},  # `from rnn_utils import *`, as in the Coursera notebook
    preload=(_DRIVERS,),
    questions=(
        Question("q1", "rnn_cell_forward", 10, f"{_DRIVERS}:run_q1",
                 "one forward step: a_next, yt_pred (softmax per column) and the cache",
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case", specs=f"{_CASES}:CASES", reference_case=_REFERENCE_CASE,
                 section="Part 1", dimensions=("n_x", "n_a", "n_y", "m"), shape_advice="n_x, m = xt.shape",
                 names={"cache[0]": "cache[0] (a_next)", "cache[1]": "cache[1] (a_prev)", "cache[2]": "cache[2] (xt)"},
                 formulas={"a_next": "a_next = tanh(Wax·xt + Waa·a_prev + ba)",
                           "yt_pred": "yt_pred = softmax(Wya·a_next + by)",
                           "cache": "cache = (a_next, a_prev, xt, parameters)"},
                 answer_detectors=(f"{_DETECTORS}:terms_q1",),
                 bugs=f"{_BUGS}:BUGS"),
        Question("q2", "rnn_forward", 10, f"{_DRIVERS}:run_q2",
                 "the forward pass over T_x steps, with the reference cell unless q1 passed",
                 cell=Cell("rnn_cell_forward", "q1", f"{_GUARDS}:rnn_cell_forward_arguments",
                           ("xt", "a_prev", "parameters"), ("a_next", "yt_pred", "cache"), {"a_next": "a⟨{t}⟩"}),
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case", specs=f"{_CASES}:CASES", reference_case=_REFERENCE_CASE,
                 time_axes={"a": 2, "y_pred": 2},
                 carried="the hidden state is not carried forward (each step's a_next must be the next step's a_prev)",
                 section="Part 2", dimensions=("n_x", "n_a", "n_y", "m", "T_x"), shape_advice="n_x, m, T_x = x.shape",
                 names={"caches[1]": "caches[1] (x)", "caches[0][t][0]": "step caches' a_next (caches[0][t][0])",
                        "caches[0][t][1]": "step caches' a_prev (caches[0][t][1])",
                        "caches[0][t][2]": "step caches' xt (caches[0][t][2])",
                        "caches[0][t][3]": "step caches' parameters (caches[0][t][3])"},
                 formulas={"a": "a[:, :, t] = a_next of step t",
                           "y_pred": "y_pred[:, :, t] = yt_pred of step t, shape (n_y, m, T_x)",
                           "caches": "caches = ([the cache of step t for t = 0 .. T_x-1], x), each step's cache its own arrays"},
                 step_names={"a": "a_next", "y_pred": "yt_pred"},
                 answer_time_axes={"a": 2, "y_pred": 2, **_STEP_CACHES}, time_indexed={"x": 2, "a": 2, "y_pred": 2},
                 answer_detectors=(f"{_DETECTORS}:terms_q2",),
                 case_detectors=(f"{_DETECTORS}:start_state_q2_case", f"{_DETECTORS}:caches_structure_q2"),
                 bugs=f"{_BUGS}:BUGS"),
        Question("q3", "rnn_cell_backward", 20, f"{_DRIVERS}:run_q3",
                 "the gradients of one step: dxt, da_prev, dWax, dWaa, dba",
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case", specs=f"{_CASES}:CASES", reference_case=_REFERENCE_CASE,
                 forward="q1", gradcheck=f"{_GRADCHECK}:q3_problem", section="Part 3, gradient table", dimensions=("n_x", "n_a", "m"), shape_advice="n_a, m = da_next.shape",
                 formulas={"dxt": "dxt = Waxᵀ · dtanh", "da_prev": "da_prev = Waaᵀ · dtanh", "dWax": "dWax = dtanh · xtᵀ",
                           "dWaa": "dWaa = dtanh · a_prevᵀ", "dba": "dba = Σ over the batch of dtanh, shape (n_a, 1)"},
                 answer_detectors=(f"{_DETECTORS}:factors_q3",), case_detectors=(f"{_DETECTORS}:dtanh_q3",),
                 bugs=f"{_BUGS}:BUGS"),
        Question("q4", "rnn_backward", 30, f"{_DRIVERS}:run_q4",
                 "full BPTT: dx, da0, dWax, dWaa, dba, with the reference cell unless q3 passed",
                 cell=Cell("rnn_cell_backward", "q3", f"{_GUARDS}:rnn_cell_backward_arguments", ("da_next", "cache")),
                 draw=f"{_CASES}:column_major_inputs", oracle=f"{_ORACLE}:column_major_case", specs=f"{_CASES}:CASES", reference_case=_REFERENCE_CASE,
                 forward="q2", time_axes={"dx": 2},
                 carried="the gradient from later steps is not carried back (da_prevt)",
                 gradcheck=f"{_GRADCHECK}:q4_problem", section="Part 4", dimensions=("n_x", "n_a", "m", "T_x"), shape_advice="n_a, m, T_x = da.shape",
                 names={"a": "cached hidden states a⟨t⟩"},
                 formulas={"dx": "dx[:, :, t] = dxt of step t", "da0": "da0 = da_prevt after the loop",
                           "dWax": "dWax = Σ_t dWax of step t", "dWaa": "dWaa = Σ_t dWaa of step t",
                           "dba": "dba = Σ_t dba of step t"},
                 step_names={"dx": "dxt"}, answer_time_axes={"dx": 2}, time_indexed={"da": 2, "dx": 2, "x": 2},
                 answer_detectors=(f"{_DETECTORS}:accumulation_q4",),
                 case_detectors=(f"{_DETECTORS}:start_carry_q4_case", f"{_DETECTORS}:bptt_models_q4"),
                 bugs=f"{_BUGS}:BUGS"),
        Question("q5", "RNNCell", 30, f"{_DRIVERS}:run_q5",
                 "the PyTorch-layout cell against torch.nn.RNN: next_h, dx_list, the gradient stacks, prev_dh",
                 methods=("__call__", "backward"),
                 draw=f"{_CASES}:batch_major_inputs", oracle=f"{_ORACLE}:rnn_cell_case", specs=f"{_CASES}:CASES", reference_case=_REFERENCE_CASE,
                 forward_output="h", time_axes={"h": 0, "dx": 0},
                 carried="the gradient from later steps is not carried back (prev_dh)",
                 gradcheck=f"{_GRADCHECK}:q5_problem", section="Part 5", dimensions=("n_x", "n_a", "m", "T_x"), shape_advice="m, n_a = dh.shape",
                 names={"h": "next_h", "dx": "dx_list", "dw_ih": "the sum of dw_ih_stack",
                        "dw_hh": "the sum of dw_hh_stack", "db_ih": "the sum of db_ih_stack",
                        "db_hh": "the sum of db_hh_stack",
                        "dh0": "prev_dh after the last backward (the gradient of h0)", "h0": "h0"},
                 formulas={"h": "h_t = tanh(x_t·W_ihᵀ + b_ih + h_(t-1)·W_hhᵀ + b_hh)",
                           "dh0": "prev_dh = d_tanh · weight_hh", "dx": "dx = d_tanh · weight_ih"},
                 step_names={"h": "next_h", "dx": "dx"}, answer_time_axes={"h": 0, "dx": 0},
                 answer_detectors=(f"{_DETECTORS}:terms_q5",), case_detectors=(f"{_DETECTORS}:cell_models_q5",),
                 bugs=f"{_BUGS}:BUGS"),
    ),
)
