"""Shared hypothesis strategies: problem sizes (including the edge cases the hidden tests use,
m = 1 and T_x = 1, with n_x, n_a and m free to differ) and seeds."""
from __future__ import annotations

from hypothesis import strategies as st

from autograder.fixtures.cases import CaseSpec, Dims

seeds = st.integers(min_value=0, max_value=2**31 - 1)


@st.composite
def dims(draw: st.DrawFn, *, max_size: int = 6, max_steps: int = 5) -> Dims:
    """Dims(n_x, n_a, n_y, m, T_x), every size ≥ 1 (so m = 1 and T_x = 1 occur)."""
    size = st.integers(min_value=1, max_value=max_size)
    return Dims(draw(size), draw(size), draw(size), draw(size),
                draw(st.integers(min_value=1, max_value=max_steps)))


def random_case(question: str, seed: int, d: Dims) -> CaseSpec:
    """A case of `question` drawn at random (RandomState(seed)), like the hidden cases."""
    return CaseSpec(question, f"hypothesis-{seed}", "hypothesis", True, seed, d)
