"""Capture of what a submission prints (its workers' stdout and stderr, in one pipe)."""
from __future__ import annotations


class Output:
    """What a submission printed: the first `limit` bytes kept, the rest only counted."""

    def __init__(self, limit: int) -> None:
        self.limit, self.kept, self.dropped = limit, bytearray(), 0

    def add(self, data: bytes) -> None:
        room = max(0, self.limit - len(self.kept))
        self.kept += data[:room]
        self.dropped += max(0, len(data) - room)

    def text(self) -> str:
        text = self.kept.decode("utf-8", "replace")
        return text + (f"\n… [{self.dropped} more bytes of output dropped]" if self.dropped else "")
