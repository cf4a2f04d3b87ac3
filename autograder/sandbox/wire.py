"""The plain-data protocol between the grader and a worker.

A message is a 4-byte length, a JSON header, then the raw bytes of every array it carries.
Values are JSON with tagged containers: {"T": [...]} tuple, {"L": [...]} list, {"D": [[k, v], ...]}
dict, {"A": i, "dtype": "<f8", "shape": [...]} the i-th raw buffer, {"O": n} a handle to an object
that stays in the worker, {"X": "..."} something that is not plain data. Nothing is ever unpickled
or evaluated; the grader rebuilds every array as a fresh float64 ndarray after checking its dtype,
shape and byte count, so a submission can only send numbers, never objects with behaviour.

The grader reads and writes with a deadline of its own clock (`deadline`: time.monotonic() value)
and a size cap per message (`limit`, from what the answer can legitimately be): a peer that
trickles, stalls, or sends too much, too deep or malformed gets a `DeadlinePassed` or a
`ProtocolError` before the grader has spent more than the cap on it.
"""
from __future__ import annotations

import json
import math
import re
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

MAX_MESSAGE = 64 * 1024 * 1024  # bytes; the cap of a message when the caller sets none
MAX_DEPTH = 32
# A JSON header nests at most this deep: the value tree, its tags, the header itself.
MAX_JSON_DEPTH = 2 * MAX_DEPTH + 8
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NESTING_STEP = np.zeros(256, dtype=np.int32)  # +1 for [ and {, -1 for ] and }, per byte value
_NESTING_STEP[[ord("["), ord("{")]], _NESTING_STEP[[ord("]"), ord("}")]] = 1, -1


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


class DeadlinePassed(Exception):
    """A read or write could not finish before its deadline."""


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
    if (dt == np.float64 or not strict) and array.flags.writeable and array.flags.aligned:
        return array  # a view of this message's own buffer (receive's), which nothing else holds
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


def _time_left(sock: socket.socket, deadline: float | None) -> None:
    """Let the next socket operation block at most until `deadline` (None: without limit)."""
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassed("deadline passed")
        sock.settimeout(left)


def send(sock: socket.socket, header: dict[str, Any], buffers: list[bytes] = (), *,
         deadline: float | None = None) -> None:
    """One message, written whole before `deadline` (sendall's timeout covers the whole call)."""
    header = {**header, "buffers": [len(b) for b in buffers]}
    data = json.dumps(header).encode()
    _time_left(sock, deadline)
    try:
        sock.sendall(b"".join([struct.pack(">I", len(data)), data, *buffers]))  # one system call
    except socket.timeout:
        raise DeadlinePassed("could not send before the deadline") from None


def _read_exactly(sock: socket.socket, n: int, deadline: float | None) -> bytearray:
    data = bytearray(n)
    view, got = memoryview(data), 0
    while got < n:
        _time_left(sock, deadline)  # what is left of the one deadline, never a fresh timeout per read
        try:
            count = sock.recv_into(view[got:], min(n - got, 1 << 22))
        except socket.timeout:
            raise DeadlinePassed("no complete message before the deadline") from None
        if not count:
            raise ProtocolError("connection closed")
        got += count
    return data


def nests_deeper_than(data: bytes, depth: int) -> bool:
    """Whether the arrays and objects of the JSON text `data` nest more than `depth` levels deep
    (its strings removed first), found without recursion: a frame of 100 000 `[` is refused
    before json.loads sees it."""
    data = bytes(data)
    if data.count(b"[") + data.count(b"{") <= depth:  # too few to nest deeper (most messages)
        return False
    skeleton = np.frombuffer(_JSON_STRING.sub(b"", data), dtype=np.uint8)
    return int(_NESTING_STEP[skeleton].cumsum().max(initial=0)) > depth


def receive(sock: socket.socket, *, deadline: float | None = None, limit: int = MAX_MESSAGE,
            header_limit: int | None = None) -> tuple[dict[str, Any], list[bytes]]:
    """One message: (header, buffers), read whole before `deadline`. Sizes (at most `limit` bytes
    in all, `header_limit` of them JSON) and the JSON's depth are checked before anything is
    parsed or read into memory."""
    (size,) = struct.unpack(">I", _read_exactly(sock, 4, deadline))
    if size > min(limit, header_limit or limit):
        raise ProtocolError(f"message header of {size} bytes, more than the {min(limit, header_limit or limit)} allowed")
    text = _read_exactly(sock, size, deadline)
    if nests_deeper_than(text, MAX_JSON_DEPTH):
        raise ProtocolError("message nested too deeply")
    try:
        header = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("message is not JSON") from None
    sizes = header.get("buffers") if type(header) is dict else None
    if type(sizes) is not list or not all(type(n) is int and n >= 0 for n in sizes):
        raise ProtocolError("malformed message")
    if size + sum(sizes) > limit:
        raise ProtocolError(f"message of {size + sum(sizes)} bytes, more than the {limit} allowed")
    payload = memoryview(_read_exactly(sock, sum(sizes), deadline))
    offsets = [0]
    for n in sizes:
        offsets.append(offsets[-1] + n)
    return header, [payload[a:b] for a, b in zip(offsets, offsets[1:])]
