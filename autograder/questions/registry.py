"""The question registry: every question is defined once, in the module of its family
(autograder/questions/<family>.py, which defines `FAMILY`); everything else reads it from here.

A definition holds plain data and "module:function" references, so that reading the registry
imports nothing heavy (the sandbox's zygote, the student release and the build all read it):

- what is graded: the function or class a submission defines (and, for a class, the methods the
  grader calls on its objects), the question's points and its part;
- how a case is run: the driver (run in the worker, with the submission's function) and the cell
  it may call, with the question that vouches for that cell (its own cell is used once that
  question passed; the reference otherwise);
- how cases are made: the input draw per case class, the hidden cases' values by the reference
  (drawn per submission, in the grading process), and the torch oracle (build time only);
- how a failure is diagnosed: the forward pass a backward question differentiates, the time axes
  of its per-step tables and what a wrong past means, its gradient self-check, its bug library.

A new family is one module here that defines `FAMILY = Family(...)`. A family defined elsewhere
(a course's own questions, a test's) is added by naming its module in the environment variable
RNN_GRADER_FAMILIES (comma-separated; grading processes inherit it), or in-process by `register`.

A course chooses its parts (`rnn-grader build --parts rnn,clip,lstm`): the build writes them to
parts.json here, and the families of the other parts are left out of everything that reads the
registry (grading, the question files, assignment/, the zips, gradebooks and reports). The
environment variable RNN_GRADER_PARTS (comma-separated) overrides the file.
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

HERE = Path(__file__).resolve().parent
# Modules here that are not families: the generated otter test files and the registry itself.
_NOT_FAMILIES = re.compile(r"^(q\d+|registry)$")
EXTRA_FAMILIES = "RNN_GRADER_FAMILIES"
CHOSEN_PARTS = "RNN_GRADER_PARTS"
PARTS_FILE = HERE / "parts.json"


@dataclass(frozen=True)
class Cell:
    """A function the graded one calls (`name`), graded itself by `question`. The reference
    version runs in the grading process, so `guard` ("module:function(args, inputs) -> None")
    refuses (RefusedArguments) any call whose arguments a correct caller would not pass on a case
    with these `inputs`. Where the student's own code runs (their check), a stand-in answers
    from the reference's calls that the build records on each public case; its messages name
    the cell's `arguments` (its parameters, as the handout names them), the entries of a tuple it
    returns by `outputs` (a dict's keys name themselves), and an output of step t by its `words`
    in the handout, if any ({"a_next": "a⟨{t}⟩"})."""

    name: str
    question: str
    guard: str
    arguments: tuple[str, ...]
    outputs: tuple[str, ...] = ()
    words: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per case
class Case:
    """One graded case of a question, with what it is compared against."""

    id: str  # "q3/documented"
    question: str
    title: str
    hidden: bool
    inputs: Mapping[str, Any]  # read-only arrays
    expected: Mapping[str, Any]

    @property
    def name(self) -> str:
        """What students and TAs read: "q3 public: the notebook's example (seed 1)"."""
        return f"{self.question} {'hidden' if self.hidden else 'public'}: {self.title}"


@dataclass(frozen=True)
class Question:
    """One question; see the module docstring for what each part is for."""

    id: str  # "q3"
    target: str  # the function or class a submission defines: "rnn_cell_backward"
    points: float
    driver: str  # "module:function(functions, inputs) -> outputs", run in the worker
    summary: str = ""  # what it checks, in one line (README, feedback titles)
    methods: tuple[str, ...] = ()  # a class: the methods the grader calls on its objects
    cell: Cell | None = None
    # "module:function(inputs, calls) -> list[str]": what is wrong with the calls the function made
    # to the reference cell on a case ([(args, result)], in order); a case with problems fails
    # with them. A question with this check always calls the reference cell (it is recorded here).
    calls: str = ""
    draw: str = ""  # "module:function(spec) -> inputs" for its cases
    oracle: str = ""  # "module:function(spec) -> (inputs, expected)", with torch
    specs: str = ""  # "module:attribute": the build's case specs (.id, .question, .name, .title, .hidden)
    # "module:function(spec, seed) -> (inputs, expected)": a case of the class `spec` drawn at
    # `seed`, the cache inputs and expected outputs computed by the reference (the grader's hidden
    # cases, drawn per submission by core/hidden.py; the build proves it against `oracle`)
    reference_case: str = ""
    forward: str | None = None  # the question whose forward pass this backward differentiates
    forward_output: str | None = None  # or the output that is its own forward pass (a class)
    time_axes: Mapping[str, int] = field(default_factory=dict)  # per-step tables: output -> axis
    carried: str = ""  # what a wrong past with a right recent end means
    gradcheck: str = ""  # "module:function(functions, case) -> Problem"
    bugs: str = ""  # "module:attribute", a tuple of diagnosis.bugs.Bug
    # Feedback in the student's words (diagnosis/detectors.py, failures.py):
    section: str = ""  # where the handout explains it: "Part 3, gradient table"
    names: Mapping[str, str] = field(default_factory=dict)  # output key -> the student's name for it
    formulas: Mapping[str, str] = field(default_factory=dict)  # output key -> its formula
    step_names: Mapping[str, str] = field(default_factory=dict)  # time-indexed output -> one step of it
    answer_time_axes: Mapping[str, int] = field(default_factory=dict)  # every time-indexed output -> axis
    time_indexed: Mapping[str, int] = field(default_factory=dict)  # arrays its code indexes by t -> axis
    dimensions: tuple[str, ...] = ()  # the sizes its code needs
    shape_advice: str = ""  # how its code reads them: "n_a, m = da_next.shape"
    # "module:function" detectors that recognise this question's mistakes in a wrong answer:
    # per output (case, key, actual, expected) -> hint, and per case (case) -> (hint, keys explained)
    answer_detectors: tuple[str, ...] = ()
    case_detectors: tuple[str, ...] = ()
    # "module:function(question, drawn) -> list[Case]": its cases; `drawn` is the grader's draw of
    # the hidden cases for one submission (core/hidden.py), id -> (inputs, expected)
    cases: str = "autograder.questions:stored_cases"


@dataclass(frozen=True)
class Family:
    """The questions of one part, and what their workers need."""

    part: str  # "rnn": the name instructors choose parts by
    questions: tuple[Question, ...]
    submission: str  # the file a student submits, e.g. "rnn.py"
    reference: str  # the module of the reference solution, e.g. "solutions.rnn"
    aliases: Mapping[str, str] = field(default_factory=dict)  # modules a submission imports by another name
    preload: tuple[str, ...] = ()  # modules the zygote imports once, for every worker


_added: list[Family] = []


def _number(family: Family) -> int:
    """The number of a family's first question ("q6" -> 6): families are graded in that order,
    so a cell's question is graded before the questions that call it."""
    digits = re.sub(r"\D", "", family.questions[0].id)
    return int(digits) if digits else 0


@lru_cache(maxsize=1)
def _discovered() -> tuple[Family, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.ispkg and not _NOT_FAMILIES.match(m.name))
    return tuple(sorted((importlib.import_module(f"{__package__}.{name}").FAMILY for name in names), key=_number))


@lru_cache(maxsize=None)
def _named(modules: str) -> tuple[Family, ...]:
    return tuple(importlib.import_module(name.strip()).FAMILY for name in modules.split(",") if name.strip())


@lru_cache(maxsize=1)
def _parts_file() -> tuple[str, ...] | None:
    return tuple(json.loads(PARTS_FILE.read_text())["parts"]) if PARTS_FILE.exists() else None


def chosen_parts() -> tuple[str, ...]:
    """The parts the course uses, of this package's families (default: all of them)."""
    override = os.environ.get(CHOSEN_PARTS)
    chosen = tuple(p.strip() for p in override.split(",") if p.strip()) if override else _parts_file()
    return tuple(f.part for f in _discovered() if chosen is None or f.part in chosen)


def all_parts() -> tuple[str, ...]:
    """Every part of this package's families, chosen or not."""
    return tuple(f.part for f in _discovered())


def write_parts(parts: tuple[str, ...] | list[str]) -> Path:
    """Record the course's choice of parts (the build); unknown names are a ValueError."""
    unknown = [p for p in parts if p not in all_parts()]
    if unknown or not parts:
        raise ValueError(f"parts must be a non-empty choice of {', '.join(all_parts())}, not {', '.join(parts) or 'none'}")
    PARTS_FILE.write_text(json.dumps({"parts": [p for p in all_parts() if p in parts]}) + "\n")
    _parts_file.cache_clear()
    return PARTS_FILE


def left_out() -> tuple[Question, ...]:
    """The questions of this package's parts that the course does not use."""
    chosen = chosen_parts()
    return tuple(q for f in _discovered() if f.part not in chosen for q in f.questions)


def families() -> tuple[Family, ...]:
    return _registered()[0]


def questions() -> tuple[Question, ...]:
    return _registered()[1]


_last: list[tuple[tuple[Any, ...], tuple[tuple[Family, ...], tuple[Question, ...]]]] = []


def _registered() -> tuple[tuple[Family, ...], tuple[Question, ...]]:
    """(families, questions), made again only when what they depend on changes (the environment's
    choices, the parts file, the families added): grading asks a hundred times per submission."""
    extra = os.environ.get(EXTRA_FAMILIES, "")
    key = (os.environ.get(CHOSEN_PARTS), extra, _parts_file(), tuple(_added))
    if not _last or _last[0][0] != key:
        chosen = chosen_parts()
        found = (*(f for f in _discovered() if f.part in chosen), *_named(extra), *_added)
        _last[:] = [(key, (found, tuple(q for family in found for q in family.questions)))]
    return _last[0][1]


def ids() -> tuple[str, ...]:
    return tuple(q.id for q in questions())


def question(qid: str) -> Question:
    for q in questions():
        if q.id == qid:
            return q
    raise KeyError(f"no question {qid!r} (questions: {', '.join(ids())})")


def case_specs(q: Question) -> list[Any]:
    """The build's case specs of question `q` (its `specs`), in their order."""
    return [s for s in resolve(q.specs) if s.question == q.id] if q.specs else []


def family_of(qid: str) -> Family:
    return next(f for f in families() if any(q.id == qid for q in f.questions))


def parts() -> dict[str, tuple[str, ...]]:
    """part -> its question ids (a course chooses its parts)."""
    return {f.part: tuple(q.id for q in f.questions) for f in families()}


def target_of(name: str) -> Question | None:
    """The question that grades the function or class `name`, if any."""
    return next((q for q in questions() if q.target == name), None)


def register(family: Family) -> None:
    """Add a family at run time (a test's); ids must be new."""
    taken = set(ids())
    clash = [q.id for q in family.questions if q.id in taken]
    if clash:
        raise ValueError(f"questions {clash} are already registered")
    _added.append(family)


def unregister(family: Family) -> None:
    _added.remove(family)


@contextmanager
def registered(family: Family) -> Iterator[Family]:
    register(family)
    try:
        yield family
    finally:
        unregister(family)


def resolve(ref: str) -> Any:
    """The object a "module:attribute" reference names."""
    module, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module), attribute)
