"""Family "flow": the vanishing/exploding experiment (q8). The pieces it names live beside the
other families' (drivers: support/rnn_checks.py, case specs and draws: fixtures/cases_part2.py,
torch oracle: fixtures/torch_oracle_part2.py, bugs: diagnosis/bugs_part2.py).

What q8 checks, and how: `gradient_norms(da_last, caches)` is run in the sandbox by the driver
`run_q8` on the caches of a stored forward pass (torch's, rebuilt as `rnn_forward` returns them)
with the reference `rnn_cell_backward` as its cell unless q3 passed; its norms (T_x,) are compared
with torch autograd's ‖∂L/∂a⟨t⟩‖ within rtol 1e-6, atol 1e-9 — relative, so norms spanning many
orders of magnitude (γ = 0.5 and γ = 1.5 over 40 steps) are checked at every step."""
from __future__ import annotations

from autograder.questions.registry import Cell, Family, Question

_DRIVERS = "autograder.questions.support.rnn_checks"
_CASES = "autograder.fixtures.cases_part2"
_ORACLE = "autograder.fixtures.torch_oracle_part2"

FAMILY = Family(
    part="flow",
    submission="rnn.py",
    reference="solutions.rnn",
    aliases={"rnn_utils": "solutions.rnn_utils"},
    preload=(_DRIVERS,),
    questions=(
        Question("q8", "gradient_norms", 10, f"{_DRIVERS}:run_q8",
                 "‖∂L/∂a⟨t⟩‖ at every step when only the last state is scored, with the reference cell unless q3 passed",
                 cell=Cell("rnn_cell_backward", "q3", "autograder.core.callbacks:rnn_cell_backward_arguments",
                           ("da_next", "cache")),
                 draw=f"{_CASES}:draw_q8", oracle=f"{_ORACLE}:case_values", specs=f"{_CASES}:CASES",
                 reference_case="autograder.fixtures.reference_cases:part2_case",
                 time_axes={"norms": 0},
                 carried="the gradient is not carried back from one step to the one before (da_prev)",
                 section="Part 8", dimensions=("n_x", "n_a", "m", "T_x"), shape_advice="T_x = len(caches[0])",
                 formulas={"norms": "norms[t] = ‖∂L/∂a⟨t⟩‖, with ∂L/∂a⟨t−1⟩ = da_prev of step t's backward"},
                 bugs="autograder.diagnosis.bugs_part2:BUGS_PART2"),
    ),
)
