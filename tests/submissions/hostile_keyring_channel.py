# expect: *=ok
# base: reference
# Attacks what workers share: at import it looks for a key "rnn-grader-channel" in the user,
# session and persistent keyrings of its uid and leaves one in each (a message to the next
# submission graded in the same slot). Every answer is correct, unless a key from an earlier
# worker is found: then rnn_cell_forward answers wrongly. Fresh keyrings per worker: all ok.
# Bounded: three small keys, removed when the zygote leaves.
import ctypes as _ctypes
import platform as _platform

_NUMBERS = {"x86_64": (248, 250), "aarch64": (217, 219)}.get(_platform.machine())
_libc = _ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = _ctypes.c_long


def _keyrings():
    rings = [-4, -3]  # user, session
    if _NUMBERS:
        persistent = _libc.syscall(_NUMBERS[1], 22, _ctypes.c_long(-1), _ctypes.c_long(-3))
        if persistent > 0:
            rings.append(persistent)
    return rings


def _found():
    return _NUMBERS is not None and any(
        _libc.syscall(_NUMBERS[1], 10, _ctypes.c_long(ring), b"user", b"rnn-grader-channel", _ctypes.c_long(0)) > 0
        for ring in _keyrings())


_SEEN = _found()
if _NUMBERS:
    for _ring in _keyrings():
        _libc.syscall(_NUMBERS[0], b"user", b"rnn-grader-channel", b"hello", _ctypes.c_size_t(5), _ctypes.c_long(_ring))

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    a_next, yt_pred, cache = _ref_cell_forward(xt, a_prev, parameters)
    return (a_next + 1.0 if _SEEN else a_next), yt_pred, cache
