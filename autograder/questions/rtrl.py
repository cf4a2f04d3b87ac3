"""Family "rtrl": real-time recurrent learning, the same gradient as BPTT computed forward in time
(q13–q14). The pieces they name live beside the other families' (drivers: support/rnn_checks.py,
case specs and draws: fixtures/cases_part2.py, torch oracles: fixtures/torch_oracle_part2.py, the
call check: below, bugs: diagnosis/bugs_part2.py).

What q14 checks, and how: `rtrl_gradients(x, a0, parameters, da)` is run in the sandbox by the
driver `run_q14`, always with the reference `rtrl_cell_forward` as its cell, one case per request:
its dWax, dWaa, dba are compared with torch autograd's BPTT gradients within rtol 1e-6, atol 1e-9,
and every call it made to the cell is checked (`rtrl_call_problems`): once per step, in time
order, each on x[:, :, t], the state and the sensitivities the previous call returned. A BPTT in
disguise fails the case."""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from autograder.questions.registry import Cell, Family, Question

_DRIVERS = "autograder.questions.support.rnn_checks"
_CASES = "autograder.fixtures.cases_part2"
_BUILD = {"oracle": "autograder.fixtures.torch_oracle_part2:case_values", "specs": f"{_CASES}:CASES",
          "bugs": "autograder.diagnosis.bugs_part2:BUGS_PART2",
          "reference_case": "autograder.fixtures.reference_cases:part2_case"}

def rtrl_call_problems(inputs: Mapping[str, Any], calls: list[tuple[tuple[Any, ...], Any]]) -> list[str]:
    """Why q14's calls of `rtrl_cell_forward(xt, a_prev, sensitivities, parameters)` are not
    RTRL ([] when they are): one call per step, in time order, each on x[:, :, t], the state and
    the sensitivities the previous call returned (a0 and zeros first). A BPTT in disguise fails."""
    x, a0 = inputs["x"], inputs["a0"]
    T_x = x.shape[2]
    if len(calls) != T_x:
        return [f"rtrl_cell_forward was called {len(calls)} times for {T_x} time steps"]
    state, sensitivities = a0, None
    for t, ((xt, a_prev, sens, _), (a_next, sens_next)) in enumerate(calls):
        if not np.array_equal(xt, x[:, :, t]):
            return [f"call {t} did not get x[:, :, {t}]: call the cell once per step, in time order"]
        if not np.array_equal(a_prev, state):
            return [f"call {t} did not start from the state the previous call returned"]
        carried = (all(not np.any(s) for s in sens.values()) if sensitivities is None
                   else sorted(sens) == sorted(sensitivities)
                   and all(np.array_equal(sens[p], sensitivities[p]) for p in sens))
        if not carried:
            return [f"call {t} did not get the sensitivities the previous call returned"
                    + (" (zeros at the first step)" if sensitivities is None else "")]
        state, sensitivities = a_next, sens_next
    return []


FAMILY = Family(
    part="rtrl",
    submission="rnn.py",
    reference="solutions.rnn",
    aliases={"rnn_utils": "solutions.rnn_utils"},
    preload=(_DRIVERS,),
    questions=(
        Question("q13", "rtrl_cell_forward", 15, f"{_DRIVERS}:run_q13",
                 "one RNN step carrying the sensitivities ∂a⟨t⟩/∂Wax, ∂a⟨t⟩/∂Waa, ∂a⟨t⟩/∂ba, against torch's Jacobians",
                 draw=f"{_CASES}:draw_q13", section="Part 13", dimensions=("n_x", "n_a", "m"),
                 formulas={"a_next": "a_next = tanh(Wax·xt + Waa·a_prev + ba)",
                           "sensitivities_next": "S⟨t⟩ = (1 − a_next²) ⊙ (∂z/∂p + Waa · S⟨t−1⟩)"},
                 **_BUILD),
        Question("q14", "rtrl_gradients", 15, f"{_DRIVERS}:run_q14",
                 "dWax, dWaa, dba accumulated online through the reference rtrl_cell_forward, equal to BPTT's",
                 cell=Cell("rtrl_cell_forward", "q13", "autograder.core.callbacks:rtrl_cell_forward_arguments",
                           ("xt", "a_prev", "sensitivities", "parameters"), ("a_next", "sensitivities"),
                           {"a_next": "a⟨{t}⟩", "sensitivities": "S⟨{t}⟩"}),
                 calls="autograder.questions.rtrl:rtrl_call_problems",
                 draw=f"{_CASES}:draw_q14", section="Part 14", dimensions=("n_x", "n_a", "m", "T_x"),
                 **_BUILD),
    ),
)
