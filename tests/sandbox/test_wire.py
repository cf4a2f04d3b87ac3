"""The plain-data protocol: values survive a round trip as plain data (arrays as fresh float64 on
the grader's side), and whatever a worker sends, decoding gives a value or a ProtocolError —
never another exception, never an object with behaviour."""
from __future__ import annotations

import json
import socket
import struct
import threading
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.sandbox import wire

plain_arrays = hnp.arrays(
    dtype=st.sampled_from(["<f8", "<f4", ">f8", "<i8", "<i4", "|u1", "|b1", "<f2"]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
plain = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.text(max_size=5) | plain_arrays
    | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8)


def _over_the_wire(value: object) -> object:
    """`value` sent by a worker and decoded by the grader, through a real socket."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        buffers: list[bytes] = []
        wire.send(theirs, {"op": "return", "value": wire.encode(value, buffers)}, buffers)
        header, data = wire.receive(ours)
    return wire.decode(header["value"], data, strict=True)


def _same(sent: object, got: object) -> bool:
    if isinstance(sent, np.ndarray):
        return (type(got) is np.ndarray and got.dtype == np.float64 and got.shape == sent.shape
                and np.array_equal(got, sent.astype(np.float64), equal_nan=True))
    if isinstance(sent, (list, tuple)):
        return type(got) is type(sent) and len(got) == len(sent) and all(map(_same, sent, got))
    if isinstance(sent, dict):
        return type(got) is dict and got.keys() == sent.keys() and all(_same(sent[k], got[k]) for k in sent)
    return type(got) is type(sent) and got == sent


@given(plain)
def test_round_trip(value: object) -> None:
    assert _same(value, _over_the_wire(value))


def test_arrays_arrive_fresh_and_writable() -> None:
    sent = np.arange(6.0).reshape(2, 3)
    got = _over_the_wire([sent, sent.astype(np.float32)])
    for array in got:
        array[0, 0] = 42.0  # a fresh array: writing to it changes nothing that was sent
    assert sent[0, 0] == 0.0


def test_a_worker_gets_writable_arrays_that_share_nothing() -> None:
    """The worker's side (strict=False) keeps each array's dtype; every array is writable and
    apart from the others of its message, even the same array sent twice, at any alignment."""
    sent = [np.arange(6.0), np.arange(3, dtype=np.int8), np.arange(4.0)]
    ours, theirs = socket.socketpair()
    with ours, theirs:
        buffers: list[bytes] = []
        wire.send(theirs, {"value": wire.encode([*sent, sent[0]], buffers)}, buffers)
        header, data = wire.receive(ours)
    got = wire.decode(header["value"], data, strict=False)
    assert [a.dtype for a in got] == [np.float64, np.int8, np.float64, np.float64]
    for array in got:
        array[0] = 42
    assert got[3][1] == 1.0 and all(not np.shares_memory(a, b) for i, a in enumerate(got) for b in got[i + 1:])
    assert all(a[0] == 42 for a in got) and sent[0][0] == 0.0


class Behaviour:
    def __eq__(self, other: object) -> bool:  # the kind of object a submission might return
        return True


@pytest.mark.parametrize("value", [Behaviour(), np.array([1 + 2j]), np.array(["a"]), np.array([None]),
                                   np.ma.masked_array([1.0]), {1, 2}])
def test_anything_else_becomes_unsupported(value: object) -> None:
    got = _over_the_wire(value)
    assert isinstance(got, wire.Unsupported) and "not plain data" in str(got)


def _array_node(**changes: object) -> dict:
    return {"A": 0, "dtype": "<f8", "shape": [2], **changes}


@pytest.mark.parametrize("tree,buffers", [
    (_array_node(dtype="b16"), [bytes(32)]),           # no such dtype
    (_array_node(dtype="<c16"), [bytes(32)]),          # complex
    (_array_node(dtype="O"), [bytes(16)]),             # objects
    (_array_node(dtype=8), [bytes(16)]),
    (_array_node(shape=[3]), [bytes(16)]),             # bytes do not match the shape
    (_array_node(shape=[-2]), [bytes(16)]),
    (_array_node(shape=[1] * 40), [bytes(8)]),         # more dimensions than numpy allows
    (_array_node(shape="2"), [bytes(16)]),
    (_array_node(A=1), [bytes(16)]),                   # no such buffer
    (_array_node(A=True), [bytes(16)]),
    ({"D": [[1]]}, []), ({"D": [[{"L": []}, 1]]}, []),  # a malformed pair, an unhashable key
    ({"Q": 1}, []), ({}, []), ([1, 2], []), ({"O": 1}, []),  # unknown tags; a handle nobody asked for
])
def test_malformed_trees_are_protocol_errors(tree: object, buffers: list[bytes]) -> None:
    with pytest.raises(wire.ProtocolError):
        wire.decode(tree, buffers, strict=True)


def test_nesting_is_bounded() -> None:
    tree: object = 1.0
    for _ in range(wire.MAX_DEPTH + 5):
        tree = {"L": [tree]}
    with pytest.raises(wire.ProtocolError):
        wire.decode(tree, [], strict=True)


json_trees = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["A", "dtype", "shape", "L", "T", "D", "X", "O", "Z"]), inner, max_size=3),
    max_leaves=12)


@given(json_trees, st.lists(st.binary(max_size=24), max_size=3))
def test_any_tree_decodes_or_is_a_protocol_error(tree: object, buffers: list[bytes]) -> None:
    try:
        wire.decode(tree, buffers, strict=True)
    except wire.ProtocolError:
        pass


@pytest.mark.parametrize("raw", [
    struct.pack(">I", wire.MAX_MESSAGE + 1),                      # announces too much
    struct.pack(">I", 3) + b"{x}",                                 # not JSON
    struct.pack(">I", 2) + b"[]",                                  # not a header
    struct.pack(">I", 15) + b'{"buffers": -1}',                    # no buffer sizes
    struct.pack(">I", 2) + b"{}",                                  # then the connection closes
])
def test_bad_messages_are_protocol_errors(raw: bytes) -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(raw)
        theirs.shutdown(socket.SHUT_WR)
        with pytest.raises(wire.ProtocolError):
            wire.receive(ours)


@pytest.mark.parametrize("raw,limits", [
    (struct.pack(">I", 1 << 20), {"limit": 1 << 16}),                       # a header over the message's cap
    (struct.pack(">I", 1 << 12), {"limit": 1 << 16, "header_limit": 1 << 10}),  # over the header's cap
    (struct.pack(">I", 100_000) + b"[" * 100_000, {}),                       # nested beyond any answer
    (struct.pack(">I", 20) + b'{"buffers": [70000]}', {"limit": 1 << 16}),  # announces buffers over the cap
])
def test_caps_and_depth_are_checked_before_parsing(raw: bytes, limits: dict) -> None:
    """Over its cap (announced sizes), or too deep: a ProtocolError, never a RecursionError, and
    the rest of an oversized message is never read."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(raw)
        theirs.shutdown(socket.SHUT_WR)
        with pytest.raises(wire.ProtocolError):
            wire.receive(ours, deadline=time.monotonic() + 5, **limits)


def test_deep_brackets_inside_strings_are_not_nesting() -> None:
    assert not wire.nests_deeper_than(json.dumps({"message": "[" * 1000, "v": [[1]]}).encode(), 8)
    assert wire.nests_deeper_than(b"[" * 9 + b"]" * 9, 8) and not wire.nests_deeper_than(b"[" * 8 + b"]" * 8, 8)


def test_one_deadline_for_a_whole_message() -> None:
    """A message trickled one byte every 0.1 s: the read ends at its one deadline (a fresh timeout
    per read would wait for every byte)."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        def trickle() -> None:
            data = struct.pack(">I", 30) + b'{"buffers": [], "op": "retur"}'
            for i in range(len(data)):
                try:
                    theirs.send(data[i:i + 1])
                except OSError:
                    return
                time.sleep(0.1)
        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        start = time.monotonic()
        with pytest.raises(wire.DeadlinePassed):
            wire.receive(ours, deadline=start + 0.5)
        assert time.monotonic() - start < 1.0
        theirs.shutdown(socket.SHUT_RDWR)
        thread.join()


def test_a_write_nobody_reads_ends_at_its_deadline() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        start = time.monotonic()
        with pytest.raises(wire.DeadlinePassed):
            for _ in range(10_000):  # far more than the socket's buffers hold
                wire.send(ours, {"op": "return"}, [bytes(1 << 16)], deadline=start + 0.5)
        assert time.monotonic() - start < 1.0
