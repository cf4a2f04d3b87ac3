"""`rnn-grader grade`: a TA batch-grades a class into an output folder.

results.jsonl is the record (appended as submissions finish, resumable, never rewritten);
grades.csv, feedback/ and report.html are rebuilt from it at the end of every run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.config import DEFAULT_CONFIG, GraderConfig
from autograder.core.grading import unreadable_result
from autograder.core.results import SubmissionResult
from autograder.errors import UsageError
from autograder.grade.inputs import Submission, find_submissions
from autograder.grade.pool import GradingPool
from autograder.grade.report import row_status, write_csv, write_feedback, write_html
from autograder.grade.store import RESULTS, ResultLog, latest, make_record, read_records


@dataclass
class BatchSummary:
    """What one run did: how many submissions there are, how many this run graded, and where the
    outputs are."""

    total: int
    graded: int
    wall_seconds: float
    records: list[dict[str, Any]]
    out_dir: Path

    @property
    def report(self) -> Path:
        return self.out_dir / "report.html"


def default_jobs() -> int:
    """One grading process more than cores: each one waits while its worker computes."""
    return (os.cpu_count() or 1) + 1


def config_for(timeout: float | None, allow_imports: tuple[str, ...] = ()) -> GraderConfig:
    """`--timeout S` bounds each call into a submission and its import; `--allow-import` lifts
    the ban on a library (torch, tensorflow, jax, autograd by default)."""
    return DEFAULT_CONFIG.with_overrides(call_timeout=timeout, import_timeout=timeout).allowing(*allow_imports)


def pending(submissions: list[Submission], out_dir: Path) -> list[tuple[Submission, str]]:
    """(submission, content hash) of those with no record yet, or whose file changed since."""
    done = latest(read_records(out_dir / RESULTS))
    todo = []
    for s in submissions:
        digest = s.content_hash()
        if done.get(s.name, {}).get("hash") != digest:
            todo.append((s, digest))
    return todo


def rebuild_outputs(out_dir: Path) -> list[dict[str, Any]]:
    """grades.csv, feedback/ and report.html from results.jsonl (newest record per submission)."""
    records = sorted(latest(read_records(out_dir / RESULTS)).values(), key=lambda r: r["submission"])
    write_csv(records, out_dir / "grades.csv")
    write_feedback(records, out_dir / "feedback")
    write_html(records, out_dir)
    return records


class _Progress:
    """A tqdm bar on a terminal; otherwise a plain line every ~5 % of the batch."""

    def __init__(self, total: int) -> None:
        self.total, self.count, self.step = total, 0, max(1, total // 20)
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="sub", file=sys.stderr)

    def __call__(self, result: SubmissionResult) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.count % self.step == 0 or self.count == self.total:
            print(f"graded {self.count}/{self.total} ({result.submission}: {result.status}, "
                  f"{result.score:g}/{result.max_score:g})", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def grade_class(source: Path, *, out_dir: Path, jobs: int | None = None, timeout: float | None = None,
                allow_imports: tuple[str, ...] = (), progress: bool = True) -> BatchSummary:
    """Grade every submission under `source` not yet graded in `out_dir`, then rebuild the outputs."""
    start = time.monotonic()
    out_dir = Path(out_dir).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} is a file; give a folder (it is created if missing)")
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    with ResultLog(out_dir) as log:  # locked: one run per output folder
        config = config_for(timeout, allow_imports)
        try:
            submissions = find_submissions(Path(source), work_dir=out_dir, config=config)
        except UsageError:  # a refused input leaves no output folder behind
            if created:
                shutil.rmtree(out_dir, ignore_errors=True)
            raise
        todo = pending(submissions, out_dir)
        hashes = {s.name: digest for s, digest in todo}
        show = _Progress(len(todo)) if progress else None

        def record(submission: Submission, result: SubmissionResult) -> None:
            result.identity = dict(submission.identity)
            if submission.note:
                result.message = "\n".join(filter(None, [submission.note, result.message]))
            log.append(make_record(result, content_hash=hashes[submission.name],
                                   source=str(submission.path or "")))
            if show is not None:
                show(result)

        for s, _ in todo:  # nothing to run: recorded straight away
            if s.path is None:
                record(s, unreadable_result(s.name, s.status, s.problem))
        gradable = [s for s, _ in todo if s.path is not None]
        if gradable:
            hidden = sorted({str(Path(source).resolve()), str(out_dir)})
            pool = GradingPool(jobs=jobs or default_jobs(), config=config, hidden=hidden)
            try:
                pool.run(gradable, record)
            finally:
                if show is not None:
                    show.close()
        records = rebuild_outputs(out_dir)
    return BatchSummary(len(submissions), len(todo), time.monotonic() - start, records, out_dir)


def summary_table(records: list[dict[str, Any]], *, limit: int = 40) -> str:
    """A short text table: submission, points per question, total, status."""
    if not records:
        return "(no submissions)"
    questions = list(records[0]["questions"])
    width = max(10, *(len(r["submission"]) for r in records[:limit]))
    lines = [f"{'submission':<{width}}  " + "  ".join(f"{q:>4}" for q in questions) + "  total  status"]
    for r in records[:limit]:
        lines.append(f"{r['submission']:<{width}}  "
                     + "  ".join(f"{r['questions'][q]['score']:>4g}" for q in questions)
                     + f"  {r['score']:>5g}  {row_status(r)}")
    if len(records) > limit:
        lines.append(f"… and {len(records) - limit} more (see grades.csv)")
    return "\n".join(lines)


# What the worker could read, per isolation level (README: what the sandbox guarantees).
ISOLATION_WORDS = {
    "root": "student code ran as an unprivileged user in an empty new root: it could read only the OS "
            "and Python, not this package, the solutions, the other submissions or the output; no network",
    "userns": "student code ran in an empty new root (user namespace): it could read only the OS and "
              "Python, not your files, the other submissions or the output; no network",
    ("none", True): "no namespaces here: student code ran as an unprivileged user, so it could not read "
                    "root-only files, but it could read whatever any user may read, and use the network",
    ("none", False): "no isolation available: student code could read everything you can read and use "
                     "the network (only time and memory limits applied); grade untrusted code as root or in a VM",
}


def isolation_summary(records: list[dict[str, Any]], *, as_root: bool) -> str:
    """One line per isolation level that graded a submission, in words a TA understands."""
    levels = sorted({r["isolation"] for r in records if r.get("isolation")})
    if not levels:
        return "sandbox: no submission code ran (nothing could be read as a submission)"
    words = [ISOLATION_WORDS.get(level if level != "none" else (level, as_root), f"isolation level {level!r}")
             for level in levels]
    return "\n".join(f"sandbox: {w}" for w in words)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("grade", help="grade a class: gradebook CSV, feedback, report",
                            description="Grade every submission of a class into OUTDIR (resumable).")
    p.add_argument("submissions", type=Path, nargs="?",
                   help="folder of .py/.ipynb files, folder of student folders, or a Gradescope export (zip or folder)")
    p.add_argument("--sample", action="store_true",
                   help="grade the bundled sample class (written to OUTDIR/submissions) instead")
    p.add_argument("--out", type=Path, required=True, help="output folder (rerun with the same one to resume)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="grading processes (default: cores + 1)")
    p.add_argument("--timeout", type=float, default=None,
                   help=f"seconds per call into a submission (default {DEFAULT_CONFIG.call_timeout:g})")
    p.add_argument("--allow-import", action="append", default=[], metavar="LIBRARY",
                   choices=DEFAULT_CONFIG.forbidden_imports,
                   help="let submissions import this library (forbidden by default: "
                        + ", ".join(DEFAULT_CONFIG.forbidden_imports) + ")")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("-j must be at least 1")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if args.sample == (args.submissions is not None):
        raise UsageError("give either SUBMISSIONS or --sample")
    if args.sample:
        from autograder.bench.corpus import write_sample_class

        args.submissions = args.out / "submissions"
        for name, what in write_sample_class(args.submissions).items():
            print(f"sample class: {name:24s} {what}")
    summary = grade_class(args.submissions, out_dir=args.out, jobs=args.jobs, timeout=args.timeout,
                          allow_imports=tuple(args.allow_import))
    print(summary_table(summary.records))
    print(f"graded {summary.graded} of {summary.total} submissions in {summary.wall_seconds:.1f} s "
          f"({summary.total - summary.graded} already graded)")
    print(isolation_summary(summary.records, as_root=os.geteuid() == 0))
    print(f"report: {summary.report}")
    return 0
