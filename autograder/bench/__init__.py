"""`rnn-grader bench`."""
from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Not registered yet: this verb is being written."""
