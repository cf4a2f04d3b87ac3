"""Support of the otter test files (kept out of the tests folder itself, where otter would run it as a test): rnn_checks.py and the fixtures it reads."""
