"""The build's zip writer: the same entries give the same bytes, whenever and wherever it runs.
Expected values: the zip format's fields as zipfile reads them back."""
from __future__ import annotations

import io
import time
import zipfile

from autograder.build.zips import DATE, zip_bytes

ENTRIES = [("b.txt", b"second" * 100), ("a/run", b"#!/bin/sh\n")]


def test_same_entries_same_bytes():
    first = zip_bytes(ENTRIES, executable={"a/run"})
    time.sleep(2.1)  # a writer that used the clock would differ now (zip times have 2 s steps)
    assert zip_bytes(ENTRIES, executable={"a/run"}) == first


def test_order_modes_dates_and_compression():
    with zipfile.ZipFile(io.BytesIO(zip_bytes(ENTRIES, executable={"a/run"}))) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["b.txt", "a/run"]  # the given order
        assert {i.date_time for i in infos} == {DATE}
        assert [i.external_attr >> 16 for i in infos] == [0o644, 0o755]
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert zf.read("b.txt") == b"second" * 100
    with zipfile.ZipFile(io.BytesIO(zip_bytes(ENTRIES, compress=False))) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
