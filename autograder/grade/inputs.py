"""Finding the submissions of a class: a folder of files, a folder of per-student folders, or a
Gradescope "Export Submissions" (zip or unpacked: submission_metadata.yml + one folder each)."""
from __future__ import annotations

import hashlib
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from autograder.errors import UsageError

SUFFIXES = (".py", ".ipynb")
METADATA = "submission_metadata.yml"
# What a per-student folder may hold besides the submission (macOS zips, caches, our own helper).
IGNORED = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", "rnn_utils.py"}
PREFERRED = ("rnn.py", "rnn_bptt.ipynb")
MAX_EXPORT_MB = 512  # a class export larger than this is not a class export


@dataclass(frozen=True)
class Submission:
    """One student's submission: the row name, the file to grade (None: nothing gradable, see
    `problem`) and who submitted it (Gradescope exports only)."""

    name: str
    path: Path | None
    identity: dict[str, str] = field(default_factory=dict)
    problem: str = ""

    def content_hash(self) -> str:
        """sha256 of the graded file (of the problem when there is none): a changed file is regraded."""
        data = self.path.read_bytes() if self.path is not None else self.problem.encode()
        return hashlib.sha256(data).hexdigest()


def _visible(name: str) -> bool:
    return not name.startswith(".") and name not in IGNORED


def _pick_file(folder: Path) -> tuple[Path | None, str]:
    """The file to grade in a student's folder: rnn.py, rnn_bptt.ipynb, else the only .py/.ipynb."""
    candidates = sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                         and all(map(_visible, p.relative_to(folder).parts))),
                        key=lambda p: (len(p.parts), str(p)))
    for name in PREFERRED:
        for p in candidates:
            if p.name == name:
                return p, ""
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, "no .py or .ipynb file in the submission"
    names = ", ".join(str(p.relative_to(folder)) for p in candidates[:5])
    return None, f"more than one file could be the submission ({names}); name yours rnn.py"


def _from_folder(folder: Path) -> list[Submission]:
    entries = sorted(p for p in folder.iterdir() if _visible(p.name))
    files = [p for p in entries if p.is_file() and p.suffix.lower() in SUFFIXES]
    stems = [p.stem for p in files]
    submissions = [Submission(p.stem if stems.count(p.stem) == 1 else p.name, p) for p in files]
    for sub in (p for p in entries if p.is_dir()):
        path, problem = _pick_file(sub)
        submissions.append(Submission(sub.name, path, problem=problem))
    return submissions


def _identity(entry: object) -> dict[str, str]:
    """name/email/sid of a metadata entry; a group's members joined with "; "."""
    submitters = entry.get(":submitters") if isinstance(entry, dict) else None
    people = [p for p in submitters if isinstance(p, dict)] if isinstance(submitters, list) else []
    identity = {}
    for key in ("name", "email", "sid"):
        values = [str(p[f":{key}"]) for p in people if p.get(f":{key}") is not None]
        if values:
            identity[key] = "; ".join(values)
    return identity


def _from_gradescope(root: Path) -> list[Submission]:
    try:
        metadata = yaml.safe_load((root / METADATA).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise UsageError(f"cannot read {root / METADATA}: {e}".splitlines()[0]) from None
    if not isinstance(metadata, dict):
        raise UsageError(f"{root / METADATA} is not a Gradescope submission metadata file")
    submissions = []
    for key in sorted(metadata, key=str):
        folder = root / str(key)
        path, problem = _pick_file(folder) if folder.is_dir() else (None, "no files were uploaded")
        # The row is named by the Gradescope submission id: stable across exports.
        name = str(key).removeprefix("submission_")
        submissions.append(Submission(name, path, _identity(metadata[key]), problem))
    return submissions


def _export_root(folder: Path) -> Path | None:
    """Where submission_metadata.yml is: in `folder` or in its single subfolder (the zip's top)."""
    if (folder / METADATA).is_file():
        return folder
    subfolders = [p for p in folder.iterdir() if p.is_dir() and _visible(p.name)]
    if len(subfolders) == 1 and (subfolders[0] / METADATA).is_file():
        return subfolders[0]
    return None


def unpack_export(archive: Path, *, into: Path) -> Path:
    """Extract a Gradescope export zip into `into` (kept for reruns) and return that folder."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if not any(Path(m.filename).name == METADATA for m in members):
                raise UsageError(f"{archive} is not a Gradescope export (no {METADATA} inside)")
            if sum(m.file_size for m in members) > MAX_EXPORT_MB << 20:
                raise UsageError(f"{archive} unpacks to more than {MAX_EXPORT_MB} MB")
            marker = into / ".unpacked-from"  # the export's hash: a new export replaces the old one
            digest = hashlib.sha256(archive.read_bytes()).hexdigest()
            if not marker.is_file() or marker.read_text() != digest:
                shutil.rmtree(into, ignore_errors=True)
                into.mkdir(parents=True)
                zf.extractall(into)  # drops absolute paths and "..": nothing lands outside `into`
                marker.write_text(digest)
    except (zipfile.BadZipFile, OSError) as e:
        raise UsageError(f"cannot read {archive} as a zip: {e}") from None
    return into


def find_submissions(source: Path, *, work_dir: Path) -> list[Submission]:
    """The submissions under `source`; a zip is unpacked into `work_dir`."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".zip":
        source = unpack_export(source, into=work_dir / "gradescope_export")
    if not source.is_dir():
        kind = "does not exist" if not source.exists() else "is not a folder or a Gradescope export zip"
        raise UsageError(f"{source} {kind} (give a folder of .py/.ipynb files, a folder of student "
                         "folders, or a Gradescope export)")
    root = _export_root(source)
    submissions = _from_gradescope(root) if root is not None else _from_folder(source)
    if not submissions:
        raise UsageError(f"no submissions in {source}: expected .py/.ipynb files or one folder per student")
    names = [s.name for s in submissions]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise UsageError(f"two submissions would be named {clashes[0]!r} in {source}; rename one")
    return submissions
