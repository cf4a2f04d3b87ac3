"""Finding the submissions of a class: a folder of files, a folder of per-student folders, or a
Gradescope "Export Submissions" (zip or unpacked: submission_metadata.yml + one folder each)."""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from autograder.config import DEFAULT_CONFIG, GraderConfig
from autograder.core.results import inert_text
from autograder.core.picker import NOT_SUBMISSIONS, SUFFIXES, pick_submission
from autograder.core.submission import UnreadableSubmission, read_bytes
from autograder.errors import UsageError

METADATA = "submission_metadata.yml"
# What a class folder may hold besides the students (macOS zips, caches, our own helper).
IGNORED = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", *NOT_SUBMISSIONS}
MAX_EXPORT_MB = 512  # a class export larger than this is not a class export
MAX_METADATA_MB = 16  # a submission_metadata.yml larger than this is not Gradescope's


@dataclass(frozen=True)
class Submission:
    """One student's submission: the row name, the file to grade (None: nothing gradable, see
    `status` and `problem`) and who submitted it (Gradescope exports only)."""

    name: str
    path: Path | None
    identity: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    status: str = "not_implemented"  # of a submission without a file (results.STATUSES)
    note: str = ""  # for the row's message, e.g. why the export's metadata could not be used

    def content_hash(self) -> str:
        """sha256 of the graded file (of the problem when there is none, or when the file cannot
        be read: it is refused when graded), read without following a link: a changed file is regraded."""
        data = self.problem.encode()
        if self.path is not None:
            try:
                data = read_bytes(self.path, max_bytes=MAX_EXPORT_MB << 20)
            except UnreadableSubmission as e:
                data = str(e).encode()
        return hashlib.sha256(data).hexdigest()


def _refused(path: Path, config: GraderConfig) -> str:
    """Why the file `path` cannot be graded without being opened ("" if it can): a symbolic link
    is never followed, and a file over its size limit is never read."""
    try:
        info = path.lstat()
    except OSError as e:
        return f"cannot read {path.name}: {e.strerror}"
    if stat.S_ISLNK(info.st_mode):
        return f"{path.name} is a symbolic link; links are not graded, submit the file itself"
    if info.st_size > config.max_submission_bytes(path):
        return (f"{path.name} is {info.st_size / 2**20:.1f} MB, more than the "
                f"{config.max_submission_bytes(path) / 2**20:g} MB allowed for a {path.suffix} submission")
    return ""


def _submission(name: str, path: Path, config: GraderConfig, identity: dict[str, str] | None = None
                ) -> Submission:
    problem = _refused(path, config)
    if problem:
        return Submission(name, None, identity or {}, problem, "refused")
    return Submission(name, path, identity or {})


def _pick_file(folder: Path, name: str, config: GraderConfig, identity: dict[str, str] | None = None
               ) -> Submission:
    """The submission in a student's folder (core/picker.py: the rule gradescope uses too)."""
    if folder.is_symlink():
        return Submission(name, None, identity or {}, f"{folder.name} is a symbolic link; links are not graded",
                          "refused")
    try:
        return _submission(name, pick_submission(folder), config, identity)
    except UnreadableSubmission as e:
        return Submission(name, None, identity or {}, str(e), e.status)


def _from_folder(folder: Path, config: GraderConfig) -> list[Submission]:
    """One row per .py/.ipynb file (dot-files and links included: a link gets a row that says it
    was refused) and per student folder (hidden and tool folders are not students)."""
    entries = sorted(p for p in folder.iterdir() if p.name not in IGNORED)
    files = [p for p in entries if p.suffix.lower() in SUFFIXES and (p.is_symlink() or p.is_file())]
    stems = [p.stem for p in files]
    submissions = [_submission(p.stem if stems.count(p.stem) == 1 else p.name, p, config) for p in files]
    for sub in (p for p in entries if p not in files and not p.name.startswith(".")
                and (p.is_symlink() or p.is_dir())):
        submissions.append(_pick_file(sub, sub.name, config))
    return submissions


def _identity(entry: object) -> dict[str, str]:
    """name/email/sid of a metadata entry; a group's members joined with "; "."""
    submitters = entry.get(":submitters") if isinstance(entry, dict) else None
    people = [p for p in submitters if isinstance(p, dict)] if isinstance(submitters, list) else []
    identity = {}
    for key in ("name", "email", "sid"):
        values = [inert_text(p[f":{key}"], 200) for p in people if p.get(f":{key}") is not None]
        if values:
            identity[key] = inert_text("; ".join(values), 500)
    return identity


class _NoAliases(yaml.SafeLoader):
    """safe_load without aliases: Gradescope never writes them, and a few can expand a 1 KB file
    into gigabytes (a "billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("it uses YAML aliases, which a Gradescope export never contains")
        return super().compose_node(parent, index)


def _load_metadata(path: Path) -> tuple[dict[Any, Any], str]:
    """The export's metadata, or ({}, why it cannot be used): the submissions are then graded
    without identity columns, each row saying why."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_METADATA_MB << 20:
            return {}, f"{METADATA} is a link or larger than {MAX_METADATA_MB} MB"
        metadata = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliases) or {}  # noqa: S506 (safe)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as e:
        return {}, inert_text(f"{METADATA} cannot be read: {e}".splitlines()[0], 300)
    if not isinstance(metadata, dict):
        return {}, f"{METADATA} is not a Gradescope submission metadata file"
    return metadata, ""


def _folder_key(key: object) -> str | None:
    """The metadata key as the name of a folder directly inside the export, or None: no path
    separator, no "..", nothing absolute."""
    if not isinstance(key, str) or key in ("", ".", "..") or any(c in key for c in "/\\\0"):
        return None
    return key


def _from_gradescope(root: Path, config: GraderConfig) -> list[Submission]:
    """One row per metadata entry, and one per submission folder the metadata does not list."""
    metadata, problem = _load_metadata(root / METADATA)
    note = f"identity unknown: {problem}" if problem else ""
    submissions = []
    for key in sorted(metadata, key=str):
        # The row is named by the Gradescope submission id: stable across exports.
        name = inert_text(str(key).removeprefix("submission_"), 200)
        identity = _identity(metadata[key])
        folder_name = _folder_key(key)
        if folder_name is None:
            submissions.append(Submission(name, None, identity,
                                          "the export's metadata names no folder inside the export", "refused"))
        elif (root / folder_name).is_dir() or (root / folder_name).is_symlink():
            submissions.append(_pick_file(root / folder_name, name, config, identity))
        else:
            submissions.append(Submission(name, None, identity, "no files were uploaded"))
    listed = {k for k in metadata if isinstance(k, str)}
    for folder in sorted(root.iterdir()):
        if folder.name not in listed and folder.name.startswith("submission_") and (
                folder.is_dir() or folder.is_symlink()):
            found = _pick_file(folder, inert_text(folder.name.removeprefix("submission_"), 200), config)
            submissions.append(replace(found, note=note) if note else found)
    return submissions


def _export_root(folder: Path) -> Path | None:
    """Where submission_metadata.yml is: in `folder` or in its single subfolder (the zip's top)."""
    if (folder / METADATA).is_file() or (folder / METADATA).is_symlink():
        return folder
    subfolders = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()
                  and p.name not in IGNORED and not p.name.startswith(".")]
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


def find_submissions(source: Path, *, work_dir: Path, config: GraderConfig = DEFAULT_CONFIG
                     ) -> list[Submission]:
    """The submissions under `source`, one for every input (what cannot be graded carries its
    status and problem); a zip is unpacked into `work_dir`."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".zip":
        source = unpack_export(source, into=work_dir / "gradescope_export")
    if not source.is_dir():
        kind = "does not exist" if not source.exists() else "is not a folder or a Gradescope export zip"
        raise UsageError(f"{source} {kind} (give a folder of .py/.ipynb files, a folder of student "
                         "folders, or a Gradescope export)")
    root = _export_root(source)
    submissions = _from_gradescope(root, config) if root is not None else _from_folder(source, config)
    if not submissions:
        raise UsageError(f"no submissions in {source}: expected .py/.ipynb files or one folder per student")
    return _unique_names(submissions)


def _unique_names(submissions: list[Submission]) -> list[Submission]:
    """Every row a distinct, valid name that is one file name (its feedback file's): names are
    made inert text; a clash (ann.py beside a folder ann, two names that differ only in bytes
    that are not UTF-8) gets ~2, ~3, … in input order, the same on every run."""
    taken: set[str] = set()
    unique = []
    for s in submissions:
        base = inert_text(s.name, 200).replace("/", "_").replace("\\", "_") or "_"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}~{n}"
        taken.add(name)
        unique.append(s if name == s.name else replace(s, name=name))
    return unique
