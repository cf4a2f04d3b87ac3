"""What failed in a case, said without revealing the case: its class (m = 1, T_x = 1, other sizes,
long), how it failed (the exception's type and the student's own line, an output of the wrong
shape, which arrays are wrong at which steps) and what that usually means (a size written into
the code, np.squeeze dropping an axis of size 1, an answer that does not depend on the inputs).

Only our own words, the student's own source lines and shapes (which the case titles show anyway)
appear: never an input, an expected value or any text the student's code produced while running a
hidden case (an exception message can carry anything, so only its type is shown, and the shapes of
numpy's own messages, re-rendered).
"""
from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import numpy as np

from autograder.questions import registry
from autograder.diagnosis.detectors import close, formula_of, name_of, real, section_of, shape_words
from autograder.diagnosis.timesteps import step_ok

# Exception types whose name may be shown (a submission can name its own class anything).
KNOWN_ERRORS = {name for name, value in vars(builtins).items()
                if isinstance(value, type) and issubclass(value, BaseException)} | {"LinAlgError", "AxisError"}
WHERE_RE = re.compile(r"\(line (\d+): .*\)\s*$")
TYPE_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*): ")
SHAPE_RE = re.compile(r"\((\d+(?:, ?\d+)*,?)\)")
# numpy's messages about shapes (only their shapes are shown, in the case's dimension names)
SHAPE_MESSAGES = ("could not be broadcast", "could not broadcast", "cannot reshape", "mismatch in its core dimension",
                  "shapes", "is out of bounds", "not aligned")
# Calls whose integer arguments are sizes or step counts.
SIZE_CALLS = {"range", "reshape", "zeros", "ones", "empty", "full", "randn", "rand", "resize", "broadcast_to",
              "tile", "eye", "zeros_like", "ones_like", "arange"}
# The dimensions each question's code needs, and how it reads them: its registry entry.


def dimensions(question: str, inputs: Mapping[str, np.ndarray]) -> dict[str, int]:
    """n_x, n_a, n_y, m, T_x of a case, read from its inputs' shapes."""
    try:  # by the inputs' names: a cell (xt), a column-major sequence (x, a0), or batch-major (x, h0)
        if "xt" in inputs:
            (n_x, m), n_a, n_y = inputs["xt"].shape, inputs["a_prev"].shape[0], inputs["Wya"].shape[0]
            return {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        if "a0" in inputs:
            (n_x, m, T_x), n_a, n_y = inputs["x"].shape, inputs["a0"].shape[0], inputs["Wya"].shape[0]
            return {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        T_x, m, n_x = inputs["x"].shape
        return {"n_x": n_x, "n_a": inputs["h0"].shape[1], "m": m, "T_x": T_x}
    except (KeyError, ValueError, AttributeError):
        return {}


def case_class(question: str, dims: Mapping[str, int], public: Mapping[str, int]) -> str:
    """"m = 1", "T_x = 1", "long (T_x = 12)", "other sizes (n_a = 7)": how a case differs from the
    public one, in the dimensions the question's code uses."""
    used = [d for d in registry.question(question).dimensions if d in dims]
    parts = [f"{d} = 1" for d in ("m", "T_x") if d in used and dims[d] == 1 and public.get(d) != 1]
    long = "T_x" in used and bool(public.get("T_x")) and dims["T_x"] >= 2 * public["T_x"]
    if long:
        parts.append(f"long (T_x = {dims['T_x']})")
    other = [f"{d} = {dims[d]}" for d in used if dims[d] != public.get(d) and not (dims[d] == 1 and d in ("m", "T_x"))
             and not (d == "T_x" and long)]
    if other:
        parts.append("other sizes (" + ", ".join(other) + ")")
    return ", ".join(parts) or "the public sizes, other values"


@dataclass(frozen=True)
class Failure:
    """A failed case as diagnosis sees it."""

    title: str
    hidden: bool
    status: str
    message: str
    dims: Mapping[str, int]
    outputs: Mapping[str, Any] | None
    expected: Mapping[str, np.ndarray]


class Source:
    """The student's file, for quoting their own lines and reading the graded function's code."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        try:
            self.tree: ast.Module | None = ast.parse(text)
        except (SyntaxError, ValueError):
            self.tree = None

    def line(self, number: int) -> str:
        return self.lines[number - 1].strip()[:100] if 0 < number <= len(self.lines) else ""

    def definition(self, name: str) -> ast.AST | None:
        """The last top-level definition of `name` (the one that counts)."""
        found = None
        for node in self.tree.body if self.tree else []:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                found = node
        return found

    def size_literals(self, name: str) -> Iterator[tuple[int, int, str]]:
        """(value, line, call name) of each integer ≥ 2 given positionally (or in a tuple) to a
        size-making call (range, reshape, np.zeros, …) inside the definition of `name`."""
        node = self.definition(name)
        for call in ast.walk(node) if node else []:
            if not isinstance(call, ast.Call):
                continue
            func = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if func not in SIZE_CALLS:
                continue
            for arg in call.args:
                for item in (arg.elts if isinstance(arg, (ast.Tuple, ast.List)) else [arg]):
                    if isinstance(item, ast.BinOp) and isinstance(item.left, ast.Constant):
                        item = item.left  # range(4 - 1)
                    if isinstance(item, ast.Constant) and type(item.value) is int and item.value >= 2:
                        yield item.value, call.lineno, func

    def calls(self, name: str, function: str) -> list[int]:
        """Lines inside `name`'s definition that call `function` (np.squeeze(x) or x.squeeze())."""
        node = self.definition(name)
        return [c.lineno for c in (ast.walk(node) if node else []) if isinstance(c, ast.Call) and function in (
            getattr(c.func, "attr", None), getattr(c.func, "id", None))]

    def array_literals(self, name: str) -> list[int]:
        """Lines inside `name`'s definition with a list literal of 10 or more numbers."""
        node = self.definition(name)
        lines = []
        for n in ast.walk(node) if node else []:
            if isinstance(n, ast.Call) and getattr(n.func, "attr", getattr(n.func, "id", "")) in ("array", "asarray"):
                numbers = [c for c in ast.walk(n) if isinstance(c, ast.Constant) and isinstance(c.value, float)]
                if len(numbers) >= 10:
                    lines.append(n.lineno)
        return lines


def exception_words(message: str, source: Source, dims: Mapping[str, int]) -> tuple[str, int | None]:
    """("ValueError at line 42: `dba = …reshape(5, 1)` (shapes (n_a, m) and (n_x, m))", 42) from
    the worker's message, keeping only the exception's type (if a built-in one), the line number
    (quoted from the student's own file) and the shapes of numpy's shape messages."""
    kind = TYPE_RE.match(message)
    name = kind[1] if kind and kind[1] in KNOWN_ERRORS else "an exception"
    where = WHERE_RE.search(message)
    number = int(where[1]) if where else None
    text = f"{name}"
    if number and source.line(number):
        text += f" at line {number}: `{source.line(number).replace('`', '')}`"
    body = message[kind.end():] if kind else message
    if name != "an exception" and any(s in body for s in SHAPE_MESSAGES):
        shapes = [tuple(int(n) for n in s.replace(" ", "").strip(",").split(",")) for s in SHAPE_RE.findall(body)]
        # only shapes made of the case's own sizes: any other number could be a value smuggled out
        shapes = [shape for shape in shapes if set(shape) <= set(dims.values())]
        if shapes:
            text += " (shapes " + " and ".join(shape_words(s, dims) for s in shapes[:3]) + ")"
    return text, number


def output_words(question: str, failure: Failure) -> list[str]:
    """"dh0 has shape (m, n_x), expected (m, n_a)", "dx is wrong at t = 0..3" for a case that returned."""
    words = []
    for key, exp in failure.expected.items():
        if exp.dtype.kind != "f":
            continue
        actual = real((failure.outputs or {}).get(key))
        who = name_of(question, key)
        if actual is None:
            words.append(f"{who} is not a numeric array")
        elif actual.shape != exp.shape:
            words.append(f"{who} has shape {shape_words(actual.shape, failure.dims)}, expected "
                         f"{shape_words(exp.shape, failure.dims, ours=True)}")
        elif not np.all(np.isfinite(actual)):
            words.append(f"{who} has NaN or inf entries")
        elif not close(actual, exp):
            axis = registry.question(question).answer_time_axes.get(key)
            if axis is not None and exp.shape[axis] > 1:
                bad = [t for t, ok in enumerate(step_ok(actual, exp, axis)) if not ok]
                words.append(f"{who} is wrong at t = {_steps(bad)}")
            else:
                words.append(f"{who} is wrong")
    return words


def _steps(ts: list[int]) -> str:
    if len(ts) > 1 and ts == list(range(ts[0], ts[-1] + 1)):
        return f"{ts[0]}..{ts[-1]}"
    return ", ".join(map(str, ts))


def meaning_hints(question: str, failure: Failure, source: Source, public: Mapping[str, int]) -> list[str]:
    """What a failure on other sizes usually means: a size written into the code, np.squeeze."""
    target = registry.question(question).target
    hints = []
    changed = {d for d in registry.question(question).dimensions if failure.dims.get(d) != public.get(d)}
    assumed: dict[str, tuple[int, str]] = {}  # dimension -> (line, code) of the first size written in
    for value, at, call in source.size_literals(target):
        names = [d for d in registry.question(question).dimensions if d in changed and (public.get(d) == value or (
            call == "range" and d == "T_x" and public.get(d) == value + 1))]
        code = source.line(at).replace("`", "")
        if "T_x" in names and call == "range":
            hints.append(f"your loop runs a fixed number of steps (`{code}` at line {at}): that fits the public "
                         f"case's T_x = {public['T_x']} only — take T_x from the shapes: {registry.question(question).shape_advice} "
                         f"(handout: {section_of(question)})")
        else:
            for d in names:
                assumed.setdefault(d, (at, code))
    if assumed:
        dims = ", ".join(f"{d} = {public[d]}" for d in assumed)
        at, code = min(assumed.values())
        hints.append(f"your code assumes {dims}, the public case's size{'s' if len(assumed) > 1 else ''} "
                     f"(`{code}` at line {at}) — take the sizes from the arrays' shapes: "
                     f"{registry.question(question).shape_advice} (handout: {section_of(question)})")
    ones = [d for d in ("m", "T_x", "n_x") if failure.dims.get(d) == 1 and public.get(d) != 1]
    squeezes = source.calls(target, "squeeze")
    if ones and squeezes and failure.status == "failed":
        at = squeezes[0]
        axis = {"m": "the batch axis when m = 1", "T_x": "the time axis when T_x = 1", "n_x": "the feature axis "
                "when n_x = 1"}[ones[0]]
        hints.append(f"np.squeeze also drops {axis} (`{source.line(at).replace('`', '')}` at line {at}): slices "
                     f"such as x[:, :, t] already have the shape (n_x, m) — drop the squeeze "
                     f"(handout: {section_of(question)})")
    return list(dict.fromkeys(hints))


# The runners' own messages about the structure of a result (rnn_checks: _unpack, _get, _stack).
STRUCTURE_RE = re.compile(r"^(?:q\d \([^)]*\): )?(?P<what>the cache of rnn_cell_forward|rnn_cell_forward|rnn_forward) must "
                          r"return a tuple of (?P<n>\d+) values, got (?:tuple|list) of length (?P<k>\d+)")
MISSING_RE = re.compile(r"^(?:q\d \([^)]*\): )?the gradients of (?:rnn_cell_backward|rnn_backward) has no entry "
                        r"'(?P<key>\w+)'")
CONTRACT = {"the cache of rnn_cell_forward": ("cache", "cache = (a_next, a_prev, xt, parameters)"),
            "rnn_cell_forward": ("rnn_cell_forward", "return a_next, yt_pred, cache"),
            "rnn_forward": ("rnn_forward", "return a, y_pred, caches")}


def structure_hints(question: str, failure: Failure) -> list[str]:
    """A result of the wrong structure, from the runner's message (only its numbers and one of
    the contract's key names are used): a cache of 3 entries, a gradient dict without dWaa. Public
    cases only: their messages are shown anyway, a hidden one's are the student's to shape."""
    if failure.outputs is not None or failure.status != "failed" or failure.hidden:
        return []
    if m := STRUCTURE_RE.match(failure.message):
        what, formula = CONTRACT[m["what"]]
        if what == "cache":
            return [f"your cache has {m['k']} entries where {m['n']} belong — {formula} (handout: {section_of(question)})"]
        return [f"your {what} returns {m['k']} values where {m['n']} belong — {formula} (handout: {section_of(question)})"]
    if (m := MISSING_RE.match(failure.message)) and m["key"] in failure.expected:
        keys = ", ".join(k for k in failure.expected)
        return [f"your gradients dict has no entry '{m['key']}' — it has the keys {keys} "
                f"(handout: {section_of(question)})"]
    return []


INTO_RE = re.compile(r"could not broadcast input array from shape \((?P<value>[\d, ]+)\) into shape \((?P<slot>[\d, ]+)\)")
ENTRY_RE = re.compile(r"^(?:q\d \([^)]*\): )?(?P<what>dx_list|next_h)\[\d+\]: shape \((?P<got>[\d, ]+)\), expected "
                      r"\((?P<want>[\d, ]+)\)")


def _shape(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.replace(" ", "").strip(",").split(",") if n)


def allocation_hints(question: str, failure: Failure, source: Source) -> list[str]:
    """`dx[:, :, t] = …` failing because dx was allocated with the wrong shape (its slot is not
    the shape the contract gives that output's step)."""
    m, where = INTO_RE.search(failure.message), WHERE_RE.search(failure.message)
    if failure.outputs is not None or not m or not where:
        return []
    number = int(where[1])
    try:
        statement = ast.parse(source.line(number)).body[0]
    except (SyntaxError, IndexError, ValueError):
        return []
    target = statement.targets[0] if isinstance(statement, ast.Assign) else None
    if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
        return []
    name, value, slot = target.value.id, _shape(m["value"]), _shape(m["slot"])
    axis = registry.question(question).answer_time_axes.get(name)
    if name not in failure.expected or axis is None or not (set(value) | set(slot)) <= set(failure.dims.values()):
        return []
    step = tuple(n for k, n in enumerate(failure.expected[name].shape) if k != axis)
    code = source.line(number).replace('`', '')
    if slot == step and value != step:  # the array is right, the value stored is not
        return [f"line {number} (`{code}`) stores a value of shape {shape_words(value, failure.dims)} where a step of "
                f"{name} is {shape_words(step, failure.dims, ours=True)} — {formula_of(question, name)} "
                f"(handout: {section_of(question)})"]
    if slot == step or value != step:
        return []
    return [f"your {name} is allocated with the wrong shape: line {number} (`{source.line(number).replace('`', '')}`) "
            f"stores a step of shape {shape_words(value, failure.dims)} into a slot of shape "
            f"{shape_words(slot, failure.dims)} — {name} is {shape_words(failure.expected[name].shape, failure.dims, ours=True)} "
            f"(handout: {section_of(question)})"]


ALIGN_RE = re.compile(r"not aligned|mismatch in its core dimension")


def product_hints(question: str, failure: Failure, source: Source) -> list[str]:
    """A matrix product whose inner sizes differ, at the student's own line: a transpose is
    missing or extra (np.dot's and matmul's messages; only the line is quoted)."""
    where = WHERE_RE.search(failure.message)
    if failure.outputs is not None or not where or not ALIGN_RE.search(failure.message):
        return []
    number = int(where[1])
    return [f"the matrix product at line {number} (`{source.line(number).replace('`', '')}`) multiplies arrays whose "
            f"inner sizes differ: a transpose (.T) is missing or one too many — check each factor's shape against "
            f"the formula (handout: {section_of(question)})"] if source.line(number) else []


def entry_hints(question: str, failure: Failure) -> list[str]:
    """RNNCell's per-step lists with entries of the wrong shape, from the runner's message (public
    cases only)."""
    m = ENTRY_RE.match(failure.message)
    if failure.hidden or failure.outputs is not None or not m:
        return []
    key = {"dx_list": "dx", "next_h": "h"}[m["what"]]
    got, want = shape_words(_shape(m["got"]), failure.dims), shape_words(_shape(m["want"]), failure.dims, ours=True)
    return [f"your {name_of(question, key)} entries have shape {got} where {want} belong — "
            f"{formula_of(question, key)} (handout: {section_of(question)})"]




def time_index_hints(question: str, source: Source) -> list[str]:
    """x[:, t, :] where x[:, :, t] belongs: the loop variable on another axis than the time axis."""
    node = source.definition(registry.question(question).target)
    arrays = registry.question(question).time_indexed  # name -> its time axis
    if node is None or not arrays:
        return []
    steps = {n.target.id for n in ast.walk(node) if isinstance(n, ast.For) and isinstance(n.target, ast.Name)}
    for sub in ast.walk(node):
        if not (isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and sub.value.id in arrays
                and isinstance(sub.slice, ast.Tuple) and len(sub.slice.elts) == 3):
            continue
        for axis, item in enumerate(sub.slice.elts):
            uses = {n.id for n in ast.walk(item) if isinstance(n, ast.Name)} & steps
            if uses and axis != arrays[sub.value.id]:
                name, t = sub.value.id, sorted(uses)[0]
                return [f"you index {name} with the step {t} on axis {axis} (`{ast.unparse(sub)}` at line "
                        f"{sub.lineno}): {name} is (…, m, T_x), its time axis is the last — "
                        f"{name}[:, :, {t}] (handout: {section_of(question)})"]
    return []


HARD_CODED = "hard-coded values fit the public case only"


def hard_coded(question: str, failures: list[Failure], public_outputs: Mapping[str, Any] | None,
               public_expected: Mapping[str, np.ndarray], source: Source) -> str | None:
    """Outputs that stay the same when the inputs change: a failed case's answer equal to the
    public case's (its answer, or its expected value)."""
    same = []
    for failure in failures:
        for key, exp in failure.expected.items():
            actual = real((failure.outputs or {}).get(key))
            # an array of one value (zeros never set) is no pasted answer
            if actual is None or exp.dtype.kind != "f" or key not in public_expected or not np.ptp(actual) > 0:
                continue
            references = [public_expected[key], real((public_outputs or {}).get(key))]
            if any(r is not None and r.shape == actual.shape and close(actual, r) and
                   not (r.shape == exp.shape and close(exp, r)) for r in references):
                same.append(name_of(question, key))
    literals = source.array_literals(registry.question(question).target)
    if not same and not literals:
        return None
    what = f"your {', '.join(dict.fromkeys(same))} {'does' if len(set(same)) == 1 else 'do'} not change when the " \
           f"inputs change (the same as on the public case)" if same else \
        f"your {registry.question(question).target} returns arrays written into the code (line {literals[0]})"
    if not same and not any(f.status == "failed" for f in failures):
        return None
    return f"{what}: {HARD_CODED} — compute them from the inputs (handout: {section_of(question)})"


STATUS_WORDS = {"timeout": "ran out of time", "memory": "ran out of memory", "crashed": "the process died",
                "not_implemented": "is not implemented", "forbidden": "used a forbidden library"}


def describe(question: str, failure: Failure, source: Source) -> str:
    """One line: which case failed and how (no input or expected value)."""
    if failure.outputs is not None:
        how = "; ".join(output_words(question, failure)) or "a wrong result"
    elif failure.status == "failed":
        how = "raised " + exception_words(failure.message, source, failure.dims)[0]
    else:
        how = STATUS_WORDS.get(failure.status, "did not finish")
    kind = "hidden case" if failure.hidden else "public case"
    return f"{kind} “{failure.title}” failed — {how}"
