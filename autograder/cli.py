"""`rnn-grader`: one subcommand per verb, each a thin wrapper over a keyword-only function in its
own subpackage (autograder/<verb>/). A usage error is one line on stderr and exit status 2."""
from __future__ import annotations

import argparse
import sys
from importlib import metadata
from typing import NoReturn, Sequence

from autograder import bench, build, check, grade, gradescope
from autograder.errors import UsageError

VERBS = (check, grade, gradescope, build, bench)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block); subcommands inherit it."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def version() -> str:
    try:
        return metadata.version("rnn-grader")
    except metadata.PackageNotFoundError:  # run from a checkout that was not installed
        return "unknown (not installed)"


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="rnn-grader", description="The RNN / BPTT assignment's autograder: students check, "
                                                 "TAs grade a class, instructors build the Gradescope zip.")
    top.add_argument("--version", action="version", version=f"rnn-grader {version()}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb in VERBS:
        verb.register(commands)
    for action in commands._choices_actions:  # `rnn-grader X --help` starts with what X does
        sub = commands.choices[action.dest]
        sub.description = sub.description or (action.help[:1].upper() + action.help[1:] + ".")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as e:  # --help, --version, or a usage error already printed
        return e.code if isinstance(e.code, int) else 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("rnn-grader: interrupted", file=sys.stderr)
        return 130
    except UsageError as e:
        print(f"rnn-grader {args.command}: error: {' '.join(str(e).splitlines())}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
