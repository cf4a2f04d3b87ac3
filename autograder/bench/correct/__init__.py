"""Correct submissions in every style a class writes (Coursera notebook, loops, einsum, keyword
calls, notebook leftovers): the benchmark's corpus, the sample class of `grade --sample`, and
fixtures of the test suite (tests/submissions/README.md). Data, not imported."""
