"""Family "clip": the remedies for exploding gradients (q6–q7). The pieces they name live beside
the other families' (drivers: support/rnn_checks.py, case specs and draws: fixtures/cases_part2.py,
torch oracles: fixtures/torch_oracle_part2.py, bugs: diagnosis/bugs_part2.py).

What q7 checks, and how: `clip_by_global_norm(gradients, max_norm)` is run in the sandbox by the
driver `run_q7` on stored gradients; the returned dict's arrays (`clipped[key]`) and `total_norm`
(a number, compared as a 0-d array) are compared with `torch.nn.utils.clip_grad_norm_`'s within
rtol 1e-6, atol 1e-9, on cases above and below the threshold, with the LSTM's ten keys, with large
entries and with all-zero gradients; a failure is diagnosed against the q7 bugs of the library."""
from __future__ import annotations

from autograder.questions.registry import Family, Question

_DRIVERS = "autograder.questions.support.rnn_checks"
_CASES = "autograder.fixtures.cases_part2"
_ORACLE = "autograder.fixtures.torch_oracle_part2"
_BUGS = "autograder.diagnosis.bugs_part2:BUGS_PART2"

FAMILY = Family(
    part="clip",
    submission="rnn.py",
    reference="solutions.rnn",
    aliases={"rnn_utils": "solutions.rnn_utils"},
    preload=(_DRIVERS,),
    questions=(
        Question("q6", "clip", 5, f"{_DRIVERS}:run_q6",
                 "every entry of dWaa, dWax, dWya, db, dby clipped to [-maxValue, maxValue]",
                 draw=f"{_CASES}:draw_q6", oracle=f"{_ORACLE}:case_values", specs=f"{_CASES}:CASES",
                 reference_case="autograder.fixtures.reference_cases:part2_case",
                 section="Part 6", dimensions=("n_x", "n_a", "n_y"),
                 formulas={k: f"{k} = np.clip({k}, -maxValue, maxValue)" for k in ("dWaa", "dWax", "dWya", "db", "dby")},
                 bugs=_BUGS),
        Question("q7", "clip_by_global_norm", 10, f"{_DRIVERS}:run_q7",
                 "all gradients scaled by min(1, max_norm / (total_norm + 1e-6)), as torch.nn.utils.clip_grad_norm_",
                 draw=f"{_CASES}:draw_q7", oracle=f"{_ORACLE}:case_values", specs=f"{_CASES}:CASES",
                 reference_case="autograder.fixtures.reference_cases:part2_case",
                 section="Part 7", dimensions=("n_x", "n_a", "n_y"),
                 formulas={"total_norm": "total_norm = sqrt(Σ over every array of Σ g²)"},
                 bugs=_BUGS),
    ),
)
