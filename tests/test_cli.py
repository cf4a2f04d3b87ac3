"""`rnn-grader` as a user meets it: usage errors are one line on stderr with exit status 2 and no
traceback, every subcommand says what it does, and refused inputs leave nothing behind."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograder import build as build_verb
from autograder.bench import BenchResult
from autograder.cli import main, parser
from autograder.config import SOLUTIONS_DIR
from autograder.grade import ISOLATION_WORDS, isolation_summary

VERBS = ("check", "grade", "gradescope", "build", "bench")


def run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command line in a fresh interpreter (what a user's terminal shows)."""
    return subprocess.run([sys.executable, "-m", "autograder.cli", *argv], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def assert_usage_error(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "error:" in done.stderr
    assert all(w in done.stderr for w in words), done.stderr


def test_version() -> None:
    from importlib.metadata import version

    done = run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"rnn-grader {version('rnn-grader')}"


@pytest.mark.parametrize("argv", [(), ("nonsense",), ("grade",), ("grade", "x", "--out"), ("check",),
                                  ("check", "a.py", "-q", "q99"), ("bench", "--n", "many")])
def test_argparse_errors_are_one_line(argv: tuple[str, ...]) -> None:
    assert_usage_error(run(*argv))


def test_every_subcommand_has_a_description(capsys) -> None:
    top = parser()
    help_text = top.format_help()
    for verb in VERBS:
        assert main([verb, "--help"]) == 0
        lines = capsys.readouterr().out.splitlines()
        description = lines[lines.index("") + 1]  # the line after the usage block
        assert description and not description.startswith(("positional", "options")), (verb, lines[:4])
        assert verb in help_text


def test_out_pointing_at_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ada.py").write_text("x = 1\n")
    out = tmp_path / "grades.csv"
    out.write_text("keep me")
    assert_usage_error(run("grade", str(tmp_path / "subs"), "--out", str(out)), "--out", "is a file")
    assert out.read_text() == "keep me"


@pytest.mark.parametrize("kind", ["missing", "empty", "no_submissions", "not_a_zip"])
def test_refused_input_leaves_no_output_folder(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "input"
    if kind == "empty":
        source.mkdir()
    elif kind == "no_submissions":
        source.mkdir()
        (source / "notes.txt").write_text("not a submission")
    elif kind == "not_a_zip":
        source = tmp_path / "export.zip"
        source.write_bytes(b"not a zip")
    out = tmp_path / "out"
    assert_usage_error(run("grade", str(source), "--out", str(out)), str(source.name))
    assert not out.exists()


def test_refused_input_keeps_an_existing_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("x")
    assert_usage_error(run("grade", str(tmp_path / "missing"), "--out", str(out)))
    assert (out / "mine.txt").read_text() == "x"


def test_check_refuses_other_files(tmp_path: Path) -> None:
    for name in ("rnn.txt", "rnn.zip", "rnn"):
        (tmp_path / name).write_text((SOLUTIONS_DIR / "rnn.py").read_text())
        assert_usage_error(run("check", str(tmp_path / name)), ".py or .ipynb")
    assert_usage_error(run("check", str(tmp_path / "missing.py")), "not a file")


def test_bench_without_otter_sample_says_n_a() -> None:
    line = BenchResult(n=6, wall_seconds=2.0, peak_rss_mb=100.0, otter_sample=0, otter_seconds=0.0).line()
    assert "n/a x otter run" in line and "nan" not in line
    assert "3 x otter run" in BenchResult(6, 2.0, 100.0, otter_sample=1, otter_seconds=1.0).line()  # 3/s vs 1/s


def test_build_prints_the_zip_path(monkeypatch, capsys) -> None:
    """The command's output names the zip it wrote (the build itself: tests/gradescope)."""
    monkeypatch.setattr(build_verb, "build", lambda *, check_only, parts: ["a", str(build_verb.GRADESCOPE_ZIP)])
    assert main(["build"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(str(build_verb.GRADESCOPE_ZIP))


@pytest.mark.parametrize("level,as_root", [("root", True), ("userns", False), ("none", True), ("none", False)])
def test_isolation_in_words(level: str, as_root: bool) -> None:
    records = [{"isolation": level}, {"isolation": ""}]  # the second one never ran (unreadable)
    line = isolation_summary(records, as_root=as_root)
    assert line.startswith("sandbox: ") and "could" in line and "read" in line
    assert "unknown" not in line and ", " + level not in line
    assert isolation_summary([{"isolation": ""}], as_root=as_root).startswith("sandbox: no submission code ran")
    assert len(ISOLATION_WORDS) == 4
