"""The plain-data protocol between the grader and a worker.

A message is a 4-byte length, a JSON header, then the raw bytes of every array it carries.
Values are JSON with tagged containers: {"T": [...]} tuple, {"L": [...]} list, {"D": [[k, v], ...]}
dict, {"A": i, "dtype": "<f8", "shape": [...]} the i-th raw buffer, {"O": n} a handle to an object
that stays in the worker, {"X": "..."} something that is not plain data. Nothing is ever unpickled
or evaluated; the grader rebuilds every array as a fresh float64 ndarray after checking its dtype,
shape and byte count, so a submission can only send numbers, never objects with behaviour.
"""
from __future__ import annotations

import json
import math
import socket
import struct
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

MAX_MESSAGE = 64 * 1024 * 1024  # bytes; a larger message from a worker is a protocol error
MAX_DEPTH = 32


def _plain_dtypes() -> dict[str, np.dtype]:
    """Every dtype string a plain array may carry (bool, int, uint, float; any byte order) -> dtype."""
    found = {}
    for order in ("", "<", ">", "|", "="):
        for kind in "biuf":
            for size in (1, 2, 4, 8, 16):
                try:
                    found[f"{order}{kind}{size}"] = np.dtype(f"{order}{kind}{size}")
                except TypeError:  # e.g. b16, i16: no such type
                    continue
    return found


_DTYPES = _plain_dtypes()


class ProtocolError(Exception):
    """The peer sent something that is not a valid message (or closed the connection)."""


class Unsupported:
    """Stands in, on the grader side, for a value the worker could not send as plain data."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __str__(self) -> str:
        return f"<{self.what}, not plain data>"

    __repr__ = __str__


def encode(value: Any, buffers: list[bytes], handle: Callable[[Any], int | None] | None = None,
           depth: int = 0) -> Any:
    """`value` as a JSON-able tree; arrays go to `buffers`; `handle` may register other objects."""
    if depth > MAX_DEPTH:
        return {"X": "too deeply nested"}
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf":
            return {"X": f"array of dtype {value.dtype}"}
        buffers.append(np.ascontiguousarray(value).tobytes())
        return {"A": len(buffers) - 1, "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, np.ndarray):
        return {"X": f"ndarray subclass {kind.__name__}"}
    if kind in (np.float64, np.float32, np.float16, np.int64, np.int32, np.bool_):
        return value.item()
    if isinstance(value, (tuple, list)):
        items = [encode(v, buffers, handle, depth + 1) for v in value]
        return {"L": items} if isinstance(value, list) else {"T": items}
    if isinstance(value, dict):
        return {"D": [[encode(k, buffers, handle, depth + 1), encode(v, buffers, handle, depth + 1)]
                      for k, v in value.items()]}
    ref = handle(value) if handle is not None else None
    if ref is not None:
        return {"O": ref}
    return {"X": kind.__name__}


@dataclass(frozen=True)
class Encoded:
    """A value encoded once, to be sent many times (the same case inputs to every worker)."""

    tree: Any
    buffers: tuple[bytes, ...]

    @classmethod
    def of(cls, value: Any) -> "Encoded":
        buffers: list[bytes] = []
        tree = encode(value, buffers)
        return cls(tree, tuple(buffers))


def _array(node: dict, buffers: list[bytes], strict: bool) -> Any:
    dtype, shape, index = node.get("dtype"), node.get("shape"), node.get("A")
    dt = _DTYPES.get(dtype) if type(dtype) is str else None
    if (dt is None or type(shape) is not list or len(shape) > MAX_DEPTH
            or not all(type(n) is int and 0 <= n for n in shape)
            or type(index) is not int or not 0 <= index < len(buffers)):
        raise ProtocolError("malformed array")
    if math.prod(shape) * dt.itemsize != len(buffers[index]):
        raise ProtocolError("array size does not match its bytes")
    array = np.frombuffer(buffers[index], dtype=dt).reshape(shape)
    if strict and dt == np.float64:
        return array  # a view of this message's own buffer, which nothing else holds
    # A fresh, writable array that shares nothing with the message.
    return array.astype(np.float64) if strict else array.copy()


def decode(node: Any, buffers: list[bytes], *, strict: bool, handle: Callable[[int], Any] | None = None,
           depth: int = 0) -> Any:
    """The value of a tree made by `encode`. `strict` (grader side): arrays become float64 and
    anything unexpected becomes `Unsupported` or a ProtocolError, never an exception from numpy."""
    if depth > MAX_DEPTH + 1:
        raise ProtocolError("too deeply nested")
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is not dict or len(node) == 0:
        raise ProtocolError("malformed value")
    if "A" in node:
        return _array(node, buffers, strict)
    (tag, body), *_ = node.items()
    if tag in ("T", "L") and type(body) is list:
        items = [decode(v, buffers, strict=strict, handle=handle, depth=depth + 1) for v in body]
        return items if tag == "L" else tuple(items)
    if tag == "D" and type(body) is list:
        out = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2:
                raise ProtocolError("malformed dict")
            key = decode(pair[0], buffers, strict=strict, handle=handle, depth=depth + 1)
            try:
                out[key] = decode(pair[1], buffers, strict=strict, handle=handle, depth=depth + 1)
            except TypeError:  # an unhashable key
                raise ProtocolError("malformed dict key") from None
        return out
    if tag == "O" and type(body) is int and handle is not None:
        return handle(body)
    if tag == "X" and type(body) is str:
        return Unsupported(body[:200])
    raise ProtocolError("malformed value")


def send(sock: socket.socket, header: dict[str, Any], buffers: list[bytes] = ()) -> None:
    header = {**header, "buffers": [len(b) for b in buffers]}
    data = json.dumps(header).encode()
    sock.sendall(b"".join([struct.pack(">I", len(data)), data, *buffers]))  # one system call


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    data = bytearray(n)
    view, got = memoryview(data), 0
    while got < n:
        count = sock.recv_into(view[got:], min(n - got, 1 << 22))
        if not count:
            raise ProtocolError("connection closed")
        got += count
    return data


def receive(sock: socket.socket) -> tuple[dict[str, Any], list[bytes]]:
    """One message: (header, buffers). Sizes are checked before anything is read into memory."""
    (size,) = struct.unpack(">I", _read_exactly(sock, 4))
    if size > MAX_MESSAGE:
        raise ProtocolError("message too large")
    try:
        header = json.loads(_read_exactly(sock, size))
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("message is not JSON") from None
    sizes = header.get("buffers") if type(header) is dict else None
    if type(sizes) is not list or not all(type(n) is int and n >= 0 for n in sizes) \
            or sum(sizes) > MAX_MESSAGE:
        raise ProtocolError("malformed message")
    payload = memoryview(_read_exactly(sock, sum(sizes)))
    offsets = [0]
    for n in sizes:
        offsets.append(offsets[-1] + n)
    return header, [payload[a:b] for a, b in zip(offsets, offsets[1:])]
