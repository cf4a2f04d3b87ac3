"""Stand-ins in the grader for what lives in the worker: the submission's functions (and
classes), and the objects its classes made. Calls and attribute reads become requests; the
methods an object may be called through are the ones its question declares."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Protocol


class Remote(Protocol):
    def on_object(self, obj: "RemoteObject", op: str, name: str, args: list[Any] | None) -> Any: ...


class RemoteObject:
    """An object that lives in the worker: attributes are read there; see `remote_class`."""

    _methods: tuple[str, ...] = ()

    def __init__(self, process: Remote, handle: int, generation: int) -> None:
        self._process, self._handle, self._generation = process, handle, generation

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._process.on_object(self, "getattr", name, None)


def _method(name: str) -> Callable[..., Any]:
    def method(self: RemoteObject, *args: Any) -> Any:
        return self._process.on_object(self, "method", name, list(args))
    method.__name__ = name
    return method


@lru_cache(maxsize=None)
def remote_class(methods: tuple[str, ...]) -> type[RemoteObject]:
    """A RemoteObject whose `methods` (e.g. ("__call__", "backward")) run in the worker."""
    return type("RemoteObject", (RemoteObject,), {"_methods": methods, **{name: _method(name) for name in methods}})
