# expect: *=ok
# base: reference
# Attacks the import step: sys.exit(0) as the LAST statement of an otherwise correct file raises
# SystemExit (a BaseException) after every function is defined. The worker catches BaseException
# at import and keeps the namespace, so nothing is lost. A grader that lets SystemExit end the
# worker (or treats a clean exit code as "nothing to grade") would wrongly report crashed or
# not_implemented.
import sys

print("rnn.py: all functions defined, exiting")
sys.exit(0)
