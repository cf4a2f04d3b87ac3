# expect: *=crashed
# base: reference
# Attacks the worker process itself: os._exit(0) at import ends the process immediately, with
# exit status 0 and without unwinding (no exception to catch, no atexit, no flush). Every fresh
# worker dies the same way, so every question is crashed. The exit status is 0 on purpose: a
# grader must not read "exited 0" as success.
import os

os._exit(0)
