"""Starts the zygote of a grading process: `python -m autograder.sandbox.launch FD ISOLATION MEMORY`
(MEMORY: "auto", or "monitor" to go without a memory group).

Enters the sandbox's namespaces once (isolate.contain: PID, mount and network; a user namespace
too when not root) and forks the zygote, which is then PID 1 of its own PID namespace. This
launcher stays small (no numpy) and only waits: the grader holds it as the zygote's handle, and
the zygote dies with it. As root it first makes the memory group the zygote puts each worker's
tree in (memory.py), and removes it once the zygote has ended.
"""
from __future__ import annotations

import os
import socket
import sys

from autograder.sandbox import isolate, memory


def main(fd: int, isolation: str, memory_mode: str = "auto") -> int:
    linux = sys.platform.startswith("linux")
    group = memory.make_sandbox_group() if linux and memory_mode == "auto" else None
    level = isolate.contain() if isolation != "none" and linux else "none"
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            isolate.die_with_parent()
            from autograder.sandbox import zygote  # numpy: in the zygote only

            zygote.serve(socket.socket(fileno=fd), level=level, memory_group=group)
            code = 0
        finally:
            os._exit(code)
    os.close(fd)
    isolate.name_process("rnn-sandbox")
    _, status = os.waitpid(pid, 0)
    memory.remove_sandbox_group(group)
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), *sys.argv[2:4]))
