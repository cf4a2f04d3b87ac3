#!/usr/bin/env bash
# Gradescope image build for the RNN / BPTT autograder: a Python venv with only what grading
# needs (pinned, binary wheels, no torch, no conda, no browser), the unprivileged user that runs
# student code, and a source directory only root can read.
#
# RNN_GRADER_VENV   where to create the venv (default /autograder/venv; run_autograder reads the same)
# RNN_GRADER_SYSTEM=0  skip the system-wide steps (apt-get, useradd): to try the zip on your machine
set -euo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${RNN_GRADER_VENV:-/autograder/venv}"
SYSTEM="${RNN_GRADER_SYSTEM:-1}"
WORKER_UID=@WORKER_UID@  # the sandbox runs student code as this uid when the grader is root

python_ok() {  # $1 has Python >= 3.11 with venv and ensurepip
  command -v "$1" >/dev/null 2>&1 &&
    "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

find_python() {
  for candidate in python3 python3.13 python3.12 python3.11; do
    if python_ok "$candidate"; then echo "$candidate"; return; fi
  done
}

PYTHON="$(find_python)"
if [ -z "$PYTHON" ] && [ "$SYSTEM" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
  PYTHON="$(find_python)"
  if [ -z "$PYTHON" ]; then  # Ubuntu 22.04: its python3 is 3.10, 3.11 is a package of its own
    apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv >/dev/null || true
    PYTHON="$(find_python)"
  fi
fi
if [ -z "$PYTHON" ]; then
  echo "setup.sh: needs Python >= 3.11 with venv (choose Gradescope's Ubuntu 24.04 base image)" >&2
  exit 1
fi

# No pip inside the venv when the system's pip can install into it (ensurepip costs ~10 s).
"$PYTHON" -m venv --without-pip "$VENV"
if "$PYTHON" -m pip --python "$VENV/bin/python" --version >/dev/null 2>&1; then
  PIP=("$PYTHON" -m pip --python "$VENV/bin/python")
else
  "$VENV/bin/python" -m ensurepip --default-pip >/dev/null
  PIP=("$VENV/bin/python" -m pip)
fi
# Binary wheels only, exactly the pinned set; bytecode is compiled below for what grading imports.
PIP+=(install --quiet --disable-pip-version-check --no-cache-dir --only-binary=:all: --no-deps --no-compile)
"${PIP[@]}" -r "$SOURCE/requirements.txt"
"${PIP[@]}" "$SOURCE"/rnn_grader-*.whl
SITE="$("$VENV/bin/python" -I -c 'import autograder, os; print(os.path.dirname(autograder.__path__[0]))')"

if [ "$SYSTEM" = 1 ] && ! getent passwd "$WORKER_UID" >/dev/null; then
  useradd --system --no-create-home --uid "$WORKER_UID" --shell /usr/sbin/nologin rnnworker
fi
# Student code runs as $WORKER_UID: it must not read the zip's contents or the installed package
# (reference solution, fixtures of the hidden cases), even where the sandbox cannot hide them.
chmod -R go-rwx "$SOURCE" "$SITE/autograder" "$SITE/solutions"

# Bytecode for the package, then a self-test that compiles the rest of what grading imports (a
# fraction of the 200 MB installed) and fails the build unless the reference gets full marks.
"$VENV/bin/python" -m compileall -q "$SITE/autograder" "$SITE/solutions"
CHECK="$(mktemp -d)"
mkdir -p "$CHECK/submission" "$CHECK/results"
cp "$SITE/solutions/rnn.py" "$CHECK/submission/rnn.py"
env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/rnn-grader" gradescope --root "$CHECK" >/dev/null
"$VENV/bin/python" - "$CHECK/results/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
total = sum(t["max_score"] for t in r["tests"])
if not r["tests"] or r["score"] != total:
    sys.exit(f"setup.sh: self-test failed, the reference scored {r['score']}/{total}:\n{r['output']}")
PY
rm -rf "$CHECK"
echo "setup.sh: installed the RNN autograder into $VENV ($("$VENV/bin/python" -V)); self-test passed"
