"""`rnn-grader`: one subcommand per verb, each a thin wrapper over a keyword-only function in its
own subpackage (autograder/<verb>/)."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from autograder import bench, build, check, grade, gradescope
from autograder.errors import UsageError

VERBS = (check, grade, gradescope, build, bench)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="rnn-grader", description="The RNN / BPTT assignment's autograder: students check, TAs "
                                       "grade a class, instructors build the Gradescope zip.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb in VERBS:
        verb.register(commands)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("rnn-grader: interrupted", file=sys.stderr)
        return 130
    except UsageError as e:
        print(f"rnn-grader {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
