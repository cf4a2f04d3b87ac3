"""One grading process of a batch: `python -m autograder.grade.runner SETTINGS_JSON`.

Keeps one Sandbox (zygote) for its whole life, so interpreter and numpy start-up are paid once per
slot. Reads one task per line on stdin ({"name", "path"}), answers one line per task
({"name", "result"} or {"name", "error"}) on the stdout it was started with; anything else that
gets printed goes to stderr. Ends at the end of stdin. Ctrl-C is the parent's to handle.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any, TextIO

from autograder.config import DEFAULT_CONFIG
from autograder.sandbox import isolate
from autograder.sandbox.zygote_client import Sandbox


def serve(settings: dict[str, Any], tasks: TextIO, answers: TextIO) -> None:
    config = DEFAULT_CONFIG.with_overrides(**settings.get("config", {}))
    hidden = list(settings.get("hidden", []))
    sandbox = Sandbox(slot=int(settings.get("slot", 0)))
    sandbox.start(config.isolation)  # the zygote loads numpy while this process loads the grader
    from autograder.core.grading import grade_submission

    try:
        for line in tasks:
            task = json.loads(line)
            try:
                result = grade_submission(Path(task["path"]), config=config, sandbox=sandbox,
                                          hidden=hidden, submission=task["name"])
                answer = {"name": task["name"], "result": result.to_json()}
            except Exception:  # a grader bug: the parent retries, then records it
                answer = {"name": task["name"], "error": traceback.format_exc(limit=5)[-2000:]}
            answers.write(json.dumps(answer) + "\n")
            answers.flush()
    finally:
        sandbox.close()


def main() -> None:
    isolate.name_process("rnn-runner")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # close the sandbox on the way out
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints (ours or a library's) must not break the answer stream
    sys.stdout = sys.stderr
    serve(json.loads(sys.argv[1]), sys.stdin, answers)


if __name__ == "__main__":
    main()
