# expect: *=ok
# base: reference
# sandbox-only: if not contained, appends the line FORGED to existing results files near its cwd
# Attacks the grading output: at import and in rnn_backward, looks for EXISTING files named
# results.json, results.jsonl, grades.csv, gradebook.csv in its cwd, up to 3 parent directories
# and $RNN_GRADER_OUT, and appends "FORGED" to each one it can open (append only: it never
# creates, truncates or deletes a file). The grading output is written by the grader process and
# not writable by (or visible to) the worker, so the grades are the submission's own (all ok)
# and no output file contains FORGED.
import os

_ref_backward = rnn_backward
_NAMES = ("results.json", "results.jsonl", "grades.csv", "gradebook.csv")


def _forge():
    dirs = []
    try:
        d = os.getcwd()
        for _ in range(4):
            dirs.append(d)
            d = os.path.dirname(d)
    except OSError:
        pass
    dirs += [p for p in os.environ.get("RNN_GRADER_OUT", "").split(os.pathsep) if p]
    forged = []
    for d in dirs:
        for name in _NAMES:
            path = os.path.join(d, name)
            if not os.path.isfile(path):
                continue
            try:
                with open(path, "a") as f:
                    f.write("FORGED\n")
                forged.append(path)
            except OSError:
                pass
    if forged:
        print("forged:", forged)


_forge()


def rnn_backward(da, caches):
    _forge()
    return _ref_backward(da, caches)
