"""`rnn-grader build`: everything generated from solutions/ and the case list — the question files
and fixtures (torch oracle), the student release assignment/ and its zip (dist/student.zip, the
only thing students get), the Gradescope zip (dist/autograder.zip) and the stock otter autograder
with the plugin (dist/otter-autograder.zip); the zips are not tracked. The course secret that
draws the hidden cases (autograder/course_secret.key) is made here if it does not exist yet, so
that both autograder zips carry it."""
from __future__ import annotations

import argparse
from pathlib import Path

from autograder.errors import UsageError

REPO = Path(__file__).resolve().parents[2]
GRADESCOPE_ZIP = REPO / "dist" / "autograder.zip"
OTTER_ZIP = REPO / "dist" / "otter-autograder.zip"
STUDENT_ZIP = REPO / "dist" / "student.zip"


def build(*, check_only: bool = False, parts: list[str] | None = None) -> list[str]:
    """Regenerate every generated file for the course's `parts` (default: all; recorded in
    autograder/questions/parts.json, which everything else reads); with `check_only`, write
    nothing and return what is stale."""
    from autograder.build.otter_zip import build_otter_autograder
    from autograder.build.release import check_release_in_sync, write_release, write_student_zip
    from autograder.core.hidden import SECRET_PATH, course_secret
    from autograder.build.gradescope_zip import build_zip

    if check_only:
        return check_release_in_sync(out_dir=REPO / "assignment")
    try:
        from autograder.build.question_files import write_questions
    except ImportError as e:
        raise UsageError(f"the build needs torch 2.13.0 (pip install -e '.[dev]'): {e}") from None
    from autograder.questions import registry

    try:
        written = [str(registry.write_parts(parts or registry.all_parts()))]
    except ValueError as e:
        raise UsageError(str(e)) from None
    written += [str(p) for p in write_questions()]
    written += [str(p) for p in write_release(out_dir=REPO / "assignment")]
    written.append(str(write_student_zip(release_dir=REPO / "assignment", out=STUDENT_ZIP)))
    course_secret()  # (the wheels of both zips carry it)
    written.append(str(SECRET_PATH))
    written.append(str(build_zip(repo=REPO, out=GRADESCOPE_ZIP)))
    written.append(str(build_otter_autograder(repo=REPO, out=OTTER_ZIP)))
    return written


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("build", help="regenerate fixtures, question files, assignment/, dist/student.zip, "
                                          "dist/autograder.zip and dist/otter-autograder.zip (needs torch)")
    p.add_argument("--check", action="store_true", help="only report generated files that are out of date")
    p.add_argument("--parts", type=lambda text: [p.strip() for p in text.split(",") if p.strip()], default=None,
                   help="the parts the course uses, comma-separated (default: all: rnn,clip,flow,lstm,rtrl)")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from autograder.core.hidden import SECRET_PATH

    if args.check and args.parts:
        raise UsageError("--check compares with the parts of the last build; give no --parts")
    paths = build(check_only=args.check, parts=args.parts)
    if args.check:
        print("\n".join(f"out of date: {p}" for p in paths) or "assignment/ is in sync with solutions/")
        return 1 if paths else 0
    print(f"wrote {len(paths)} files")
    print(f"course secret (draws the hidden cases; keep it out of git and away from students): "
          f"{SECRET_PATH.relative_to(REPO)}")
    print(f"student release (hand this out): {STUDENT_ZIP}")
    print(f"otter-grader autograder zip (RnnGraderPlugin): {OTTER_ZIP}")
    print(f"Gradescope autograder zip: {GRADESCOPE_ZIP}")
    return 0
