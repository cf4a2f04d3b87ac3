"""The worker: the only place student code runs. It imports the submission, then answers the
grader's requests (call a function, construct an object, call a method, read an attribute) with
plain data over its socket. Everything here is untrusted once the submission is loaded: the grader
checks whatever comes back and never relies on this code behaving."""
from __future__ import annotations

import __future__
import ast
import io
import linecache
import marshal
import os
import socket
import sys
import traceback
import types
from importlib.machinery import ModuleSpec
from typing import Any, Callable, Iterator

from autograder.sandbox import wire

_FUTURE_FLAGS = sum(getattr(__future__, name).compiler_flag for name in __future__.all_feature_names)


def _statements_after(body: list[ast.stmt], error: BaseException, flags: int, filename: str
                      ) -> types.CodeType | None:
    """The top-level statements of `body` (the submission's, compiled as `filename`) after the
    one during which `error` was raised, compiled with the submission's __future__ flags; None if
    there are none."""
    line = next((tb.tb_lineno for tb in _tracebacks(error.__traceback__)
                 if tb.tb_frame.f_code.co_filename == filename and tb.tb_frame.f_code.co_name == "<module>"), None)
    starts = [min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))]) for node in body]
    failed = next((i for i, node in enumerate(body) if line is not None and starts[i] <= line <= node.end_lineno), None)
    if failed is None or failed + 1 == len(body):
        return None
    return compile(ast.Module(body=body[failed + 1:], type_ignores=[]), filename, "exec", flags=flags,
                   dont_inherit=True)


def _tracebacks(tb: types.TracebackType | None) -> Iterator[types.TracebackType]:
    while tb is not None:
        yield tb
        tb = tb.tb_next


MAX_COMPILED = 256 * 1024  # bytes of marshalled code a worker hands back for the next (far below the message cap)


def _unmarshal(compiled: bytes | None) -> types.CodeType | None:
    try:
        code = marshal.loads(compiled) if compiled else None
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


class ForbiddenUse(Exception):
    pass


class _InertModule(types.ModuleType):
    """What a submission gets for a forbidden library (and each of its submodules): importing
    works (the source document's own code begins with `import torch.nn`), every use raises."""

    def __getattr__(self, name: str) -> Any:
        # Only the submission's own code uses it: the import system (`from torch import nn` asks
        # whether nn is there) and libraries probing sys.modules (matplotlib looks for
        # torch.Tensor when it plots) just find nothing.
        if name.startswith("__") or sys._getframe(1).f_code.co_filename != self.__spec__.loader.submission:
            raise AttributeError(name)
        self.__spec__.loader.used(f"{self.__name__}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # `from torch import tensor; tensor(x)`
        self.__spec__.loader.used(self.__name__)


class _Forbid:
    """Finds and loads the forbidden libraries (torch, …) as inert modules, and remembers that
    the submission used one. A meta path finder needs only `find_spec` (importlib.abc would load
    tempfile, shutil, bz2, lzma into the zygote)."""

    def __init__(self, names: list[str], submission: str) -> None:
        self.names, self.submission = set(names), submission
        self.attempted: str | None = None

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if fullname.partition(".")[0] in self.names:
            return ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: ModuleSpec) -> types.ModuleType:
        return _InertModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass

    def used(self, what: str) -> None:
        self.attempted = what
        self.check()

    def check(self) -> None:
        """Raise if the submission used a forbidden library, even if it caught the error and
        carried on: the use is what is not allowed."""
        if self.attempted:
            raise ForbiddenUse(f"using {self.attempted} is not allowed: implement it with numpy")


class Worker:
    """`drivers`: the program's case drivers by key; `submission`: the file name the submission
    is compiled as (its module is importable under the stem, e.g. `import rnn`)."""

    def __init__(self, sock: socket.socket, forbidden: list[str], drivers: dict[str, Callable],
                 submission: str) -> None:
        self.sock, self.drivers, self.submission = sock, drivers, submission
        self.forbid = _Forbid(forbidden, submission)
        sys.meta_path.insert(0, self.forbid)
        self.module = types.ModuleType(os.path.splitext(submission)[0])
        self.module.__file__ = submission
        self.objects: dict[int, Any] = {}
        self.request_id: Any = None  # echoed in every message: the grader refuses any other

    def _register(self, obj: Any) -> int:
        self.objects[len(self.objects) + 1] = obj
        return len(self.objects)

    def _status(self, error: BaseException) -> str:
        if self.forbid.attempted or isinstance(error, ForbiddenUse):
            return "forbidden"
        if isinstance(error, MemoryError):
            return "memory"
        if isinstance(error, NotImplementedError):
            return "not_implemented"
        return "failed"

    def _where(self, error: BaseException) -> str:
        """The last line of the submission in the traceback, e.g. ` (line 42: a = Wax @ x)`."""
        # only the submission's lines: looking up every frame's (numpy's, the drivers') costs a
        # file search per frame, for each of the many errors of a file with functions left out
        lines = [n for frame, n in traceback.walk_tb(error.__traceback__) if frame.f_code.co_filename == self.submission]
        return f" (line {lines[-1]}: {linecache.getline(self.submission, lines[-1]).strip()[:80]})" if lines else ""

    def _error(self, error: BaseException) -> dict[str, Any]:
        try:
            kind = "" if isinstance(error, AssertionError) and type(error).__name__ == "CaseFailure" \
                else f"{type(error).__name__}: "
            message = f"{kind}{str(error)[:300]}".rstrip(": ") + self._where(error)
        except BaseException:  # noqa: B036 — an exception whose __str__ (or name) raises
            message = "an exception that cannot be printed"
        return {"op": "raise", "status": self._status(error), "message": message}

    def load(self, source: str, compiled: bytes | None = None) -> tuple[dict[str, Any], list[bytes]]:
        """Import the submission: the reply, and the code compiled from `source` (marshal) unless
        it came as `compiled` (an earlier worker's, of the same source: compiling costs
        milliseconds per worker). Whatever it defined before an exception at import still counts;
        and as in a notebook, where the cells after one that failed still run, so do the top-level
        statements after one that raised an Exception (a notebook export's test cells call
        helpers that only exist on Coursera). SystemExit and KeyboardInterrupt end the import."""
        sys.modules[self.module.__name__] = self.module
        # tracebacks can then quote the submission's lines
        linecache.cache[self.submission] = (len(source), None, source.splitlines(True), self.submission)
        code: types.CodeType | None = _unmarshal(compiled)
        buffers: list[bytes] = []
        if code is None:
            try:
                code = compile(source, self.submission, "exec")
            except (SyntaxError, ValueError) as e:
                line = f" at line {e.lineno}" if getattr(e, "lineno", None) else ""
                return {"op": "loaded", "status": "syntax_error",
                        "message": f"{type(e).__name__}{line}: {getattr(e, 'msg', e)}"}, []
            dumped = marshal.dumps(code)
            buffers = [dumped] if len(dumped) <= MAX_COMPILED else []
        return self._execute(source, code), buffers

    def _execute(self, source: str, code: types.CodeType) -> dict[str, Any]:
        """Run the submission's module `code` (compiled from `source`), then, past a statement
        that raised, the ones after it: the load's reply."""
        flags = code.co_flags & _FUTURE_FLAGS
        raised: list[str] = []
        body: list[ast.stmt] | None = None  # parsed on the first failure only
        pending: types.CodeType | None = code
        while pending is not None:
            try:
                exec(pending, self.module.__dict__)
                pending = None
            except BaseException as e:  # noqa: B036 — SystemExit or KeyboardInterrupt at import too
                error = self._error(e)
                if error["status"] == "memory":  # a forbidden use is reported like any other error
                    return {"op": "loaded", **error}
                raised.append(error["message"])
                if not isinstance(e, Exception):
                    break
                body = ast.parse(source, self.submission).body if body is None else body
                pending = _statements_after(body, e, flags, self.submission)
        if not raised:
            return {"op": "loaded", "status": "ok"}
        more = f" (and {len(raised) - 1} more top-level statements raised)" if len(raised) > 1 else ""
        return {"op": "loaded", "status": "ok", "warning": f"importing your file raised {raised[0]}{more}"}

    def _callback(self, name: str) -> Callable[..., Any]:
        """Stands in for a function the grader supplies (e.g. the reference version of a function
        the graded one calls)."""
        def call(*args: Any, **kwargs: Any) -> Any:  # every call form: the grader binds them
            buffers: list[bytes] = []
            wire.send(self.sock, {"op": "callback", "id": self.request_id, "name": name,
                                  "args": wire.encode(list(args), buffers), "kwargs": wire.encode(kwargs, buffers)},
                      buffers)
            header, data = wire.receive(self.sock)
            if header.get("op") != "return":
                raise RuntimeError(header.get("message", "the reference function failed"))
            return wire.decode(header["value"], data, strict=False)
        return call

    def _target(self, name: str) -> Any:
        target = self.module.__dict__.get(name)
        if target is None:
            raise NotImplementedError(f"{name} is not defined in your submission")
        return target

    def _run_cases(self, driver: str, name: str, cases: list[dict[str, Any]]) -> list[list[Any]]:
        """A whole case driver of the program on all the cases of a question, in one round trip:
        ["ok", outputs] or ["raise", status, message] per case. The grader checks every output
        like any other answer."""
        target, run = self._target(name), self.drivers[driver]
        outcomes = []
        for inputs in cases:
            self.forbid.attempted = None
            try:
                outputs = run({name: target}, inputs)
                self.forbid.check()
                outcomes.append(["ok", outputs])
            except BaseException as e:  # noqa: B036 — the submission may raise anything
                error = self._error(e)
                outcomes.append(["raise", error["status"], error["message"]])
        return outcomes

    def _run(self, header: dict[str, Any], args: list[Any]) -> Any:
        op = header["op"]
        if op in ("call", "run"):
            saved = {n: self.module.__dict__.get(n) for n in header.get("callbacks", [])}
            self.module.__dict__.update({n: self._callback(n) for n in saved})
            try:
                if op == "call":
                    return self._target(header["name"])(*args)
                return self._run_cases(header["driver"], header["name"], *args)
            finally:
                self.module.__dict__.update(saved)
        obj = self.objects[header["handle"]]
        if op == "method":
            return getattr(obj, header["name"])(*args)
        return getattr(obj, header["name"])  # op == "getattr"

    def serve(self) -> None:
        while True:
            try:
                header, data = wire.receive(self.sock)
            except wire.ProtocolError:
                return
            self.forbid.attempted = None
            self.request_id = header.get("id")
            if header["op"] == "load":
                reply, buffers = self.load(header["source"], bytes(data[0]) if len(data) == 1 else None)
            else:
                try:
                    args = wire.decode(header.get("args", {"L": []}), data, strict=False)
                    value = self._run(header, args)
                    self.forbid.check()
                    buffers = []
                    handle = self._register if header["op"] == "call" and isinstance(
                        self.module.__dict__.get(header["name"]), type) else None
                    reply = {"op": "return", "value": wire.encode(value, buffers, handle)}
                except BaseException as e:  # noqa: B036 — the submission may raise anything
                    reply, buffers = self._error(e), []
            _flush()
            wire.send(self.sock, {**reply, "id": self.request_id}, buffers)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: B036 — a submission may have replaced the streams
            pass


def main(sock: socket.socket, out_fd: int, forbidden: list[str], drivers: dict[str, Callable],
         submission: str) -> None:
    """Run in the worker process after isolation: print to the capture pipe, then serve."""
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.close(out_fd)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
    sys.stdin = io.StringIO()
    # Its own empty working directory is its home: libraries that cache there (matplotlib,
    # fontconfig) work quietly instead of printing warnings into the student's feedback.
    os.environ["HOME"] = os.getcwd()
    Worker(sock, forbidden, drivers, submission).serve()
