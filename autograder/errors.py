"""Errors every entry point reports as one line."""


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit code 2, never a traceback."""
