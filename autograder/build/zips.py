"""The build's one writer of zip files: the same entries give the same bytes (fixed timestamps and
Unix metadata, explicit compression), so generated files and zips can be compared and committed."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Collection, Iterable

DATE = (2020, 1, 1, 0, 0, 0)


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, compress: bool = True,
              executable: Collection[str] = ()) -> bytes:
    """A zip of `entries` (name, data) in the given order; `compress=False` stores them (bytes that
    do not depend on the zlib version); names in `executable` get mode 755, the others 644."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.create_system = 3  # the default depends on the platform that builds
            info.external_attr = (0o755 if name in executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            zf.writestr(info, data)
    return buf.getvalue()


def write_zip(path: Path, entries: Iterable[tuple[str, bytes]], **options: object) -> Path:
    """`zip_bytes(entries, **options)` written to `path` whole (a reader never sees half a zip)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(zip_bytes(entries, **options))
    tmp.replace(path)
    return path
