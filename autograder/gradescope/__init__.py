"""`rnn-grader gradescope`: grade the one submission of a Gradescope container and write
`<root>/results/results.json`.

The student's code runs only in the sandbox's worker (unprivileged when root, as on Gradescope),
which cannot see `<root>/source`, `<root>/submission` or `<root>/results`; this process writes
results.json once the worker is gone, and writes it whatever happens.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from autograder.core.picker import pick_submission
from autograder.core.submission import UnreadableSubmission
from autograder.errors import UsageError
from autograder.gradescope.results import VISIBILITIES, error_results, to_gradescope, write_results

DEFAULT_ROOT = Path("/autograder")  # Gradescope's layout; the only Gradescope path in the package


def _results(root: Path, hidden_visibility: str, allow_imports: tuple[str, ...]) -> dict[str, Any]:
    from autograder.config import DEFAULT_CONFIG
    from autograder.core.grading import grade_submission, unreadable_result  # grader error if broken

    try:
        path = pick_submission(root / "submission")
    except UnreadableSubmission as e:
        return to_gradescope(unreadable_result("submission", e.status, str(e)),
                             hidden_visibility=hidden_visibility)
    hidden = [str(root / name) for name in ("source", "submission", "results")]
    result = grade_submission(path, hidden=hidden, config=DEFAULT_CONFIG.allowing(*allow_imports))
    return to_gradescope(result, hidden_visibility=hidden_visibility,
                         filename=str(path.relative_to(root / "submission")))


def gradescope(*, root: Path = DEFAULT_ROOT, hidden_visibility: str = "after_published",
               allow_imports: tuple[str, ...] = ()) -> dict[str, Any]:
    """Grade `<root>/submission` and write `<root>/results/results.json`; return what was written.
    Any failure of the grader itself still writes a valid result (score 0, "contact course staff")."""
    if hidden_visibility not in VISIBILITIES:
        raise UsageError(f"unknown visibility {hidden_visibility!r} (choose from {', '.join(VISIBILITIES)})")
    start = time.monotonic()
    try:
        data = _results(Path(root), hidden_visibility, allow_imports)
    except Exception:  # anything but an interrupt: the student still gets a valid results.json
        traceback.print_exc()  # to Gradescope's stdout, which only instructors see
        data = error_results(execution_time=round(time.monotonic() - start, 3))
    write_results(data, Path(root) / "results" / "results.json")
    return data


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("gradescope", help="grade the submission of a Gradescope container (run_autograder)")
    p.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                   help=f"the container's autograder directory (default {DEFAULT_ROOT})")
    p.add_argument("--hidden-visibility", choices=VISIBILITIES, default="after_published",
                   help="when students see the hidden tests (default after_published)")
    p.add_argument("--allow-import", action="append", default=[], metavar="LIBRARY",
                   help="let submissions import this library (torch, tensorflow, jax, autograd are forbidden)")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    data = gradescope(root=args.root, hidden_visibility=args.hidden_visibility,
                      allow_imports=tuple(args.allow_import))
    print(f"score {data['score']:g}; wrote {args.root / 'results' / 'results.json'}")
    print(data["output"], file=sys.stdout)
    return 0
