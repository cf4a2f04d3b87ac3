"""`rnn-grader bench`: throughput and memory of `grade` on a synthetic class, against a loop of
stock `otter run` on a sample of it. A benchmark to read, not a timed test."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.bench.corpus import MIXES, write_class
from autograder.bench.memory import PeakRss
from autograder.bench.otter_loop import build_otter_zip, time_otter_run
from autograder.errors import UsageError
from autograder.grade import grade_class


@dataclass(frozen=True)
class BenchResult:
    n: int
    wall_seconds: float
    peak_rss_mb: float
    otter_sample: int
    otter_seconds: float

    @property
    def rate(self) -> float:
        return self.n / self.wall_seconds

    @property
    def speedup(self) -> float | None:
        """Our submissions/s over otter run's (None without an otter sample)."""
        return self.rate / (self.otter_sample / self.otter_seconds) if self.otter_sample else None

    def line(self) -> str:
        versus = "n/a" if self.speedup is None else f"{self.speedup:.0f}"
        return (f"bench: {self.n} submissions, {self.rate:.1f} submissions/s, {versus} x otter run, "
                f"peak RSS {self.peak_rss_mb:.0f} MB")


def bench(*, n: int, jobs: int | None = None, timeout: float | None = 2.0, otter_sample: int = 3,
          mix: str = "realistic", work_dir: Path | None = None) -> BenchResult:
    """Grade a synthetic class of `n` (corpus.write_class's `mix`) with `grade`'s machinery, then
    `otter_sample` of its correct submissions with `otter run`, one after the other."""
    with tempfile.TemporaryDirectory(prefix="rnn-bench-", dir=work_dir) as tmp:
        folder = Path(tmp) / "class"
        kinds = write_class(folder, n=n, mix=mix)
        start = time.monotonic()
        with PeakRss() as memory:
            grade_class(folder, out_dir=Path(tmp) / "out", jobs=jobs, timeout=timeout, progress=False)
        wall = time.monotonic() - start
        sample = [folder / name for name, kind in kinds.items() if kind == "correct"][:otter_sample]
        otter_seconds = 0.0
        if sample:
            autograder = build_otter_zip(Path(tmp) / "autograder.zip")
            otter_seconds, scores = time_otter_run(sample, autograder=autograder, work_dir=Path(tmp))
            print(f"otter run: {len(sample)} submissions in {otter_seconds:.1f} s, scores {scores}", file=sys.stderr)
    return BenchResult(n, wall, memory.peak_mb, len(sample), otter_seconds)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("bench", help="benchmark grade on a synthetic class against otter run")
    p.add_argument("--n", type=int, default=1000, help="submissions to generate (default 1000)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="grading processes (default: cores + 1)")
    p.add_argument("--timeout", type=float, default=2.0, help="seconds per call into a submission (default 2)")
    p.add_argument("--mix", choices=MIXES, default="realistic",
                   help="realistic: mostly correct, 15%% bug variants, a few hostile (default); "
                        "correct: correct submissions only, in every correct style")
    p.add_argument("--otter-sample", type=int, default=3, help="submissions graded with otter run (0: skip)")
    p.add_argument("--overhead", type=int, default=0, metavar="N",
                   help="also time N correct submissions graded in-process vs through the sandbox")
    p.add_argument("--hints", type=Path, default=None, metavar="DIR",
                   help="instead: grade DIR's files that declare '# expect:'/'# hint:' and print the "
                        "right-hint, wrong-hint and correct-file hint rates")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.hints is not None:
        from autograder.bench.hints import bench_hints

        print("\n".join(bench_hints(args.hints).lines()))
        return 0
    if args.n < 1 or args.otter_sample < 0 or args.overhead < 0:
        raise UsageError("--n must be at least 1, --otter-sample and --overhead at least 0")
    if args.overhead:
        from autograder.bench.overhead import measure

        print(measure(n=args.overhead).line())
    result = bench(n=args.n, jobs=args.jobs, timeout=args.timeout, otter_sample=args.otter_sample, mix=args.mix)
    print(f"grade: {result.n} submissions ({args.mix} mix) in {result.wall_seconds:.1f} s")
    print(result.line())
    return 0
