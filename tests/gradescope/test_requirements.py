"""The zip's pinned requirements exist on the public index as binary wheels for the Python and glibc
of Gradescope's base images, as setup.sh installs them (--only-binary=:all: --no-deps): a pin
that exists only as a source archive, or only for newer systems, fails the image build there.

Ubuntu 24.04 has Python 3.12 and glibc 2.39; on Ubuntu 22.04 (glibc 2.35) setup.sh installs
python3.11. pip does not widen `--platform manylinux_2_39_x86_64` to older manylinux tags, so every
tag up to the image's glibc is given (numpy and pandas ship manylinux_2_27/2_28 wheels only, which
`manylinux2014` alone would not accept)."""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from autograder.build.gradescope_zip import GRADESCOPE_FILES

INDEX = "https://pypi.org/simple"
IMAGES = {"ubuntu-24.04": ("3.12", 39), "ubuntu-22.04": ("3.11", 35)}


def _index_reachable() -> str:
    """"" when the public index answers, else why not."""
    try:
        with urllib.request.urlopen(f"{INDEX}/pip/", timeout=15) as reply:
            return "" if reply.status == 200 else f"{INDEX} answered {reply.status}"
    except (urllib.error.URLError, OSError) as e:
        return f"{INDEX} is unreachable ({e})"


@pytest.mark.parametrize("image", sorted(IMAGES))
def test_pins_exist_as_binary_wheels(image: str, tmp_path: Path) -> None:
    why = _index_reachable()
    if why:
        pytest.skip(f"cannot check the pins against the public index: {why}")
    python, glibc = IMAGES[image]
    platforms = [f"manylinux_2_{minor}_x86_64" for minor in range(glibc, 16, -1)] + [
        "manylinux2014_x86_64", "manylinux1_x86_64", "any"]
    # only the public index: no local wheel folder, mirror or constraints of this machine
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": os.devnull}
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
         *(f"--platform={p}" for p in platforms), "--index-url", INDEX,
         "-r", str(GRADESCOPE_FILES / "requirements.txt"), "-d", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"{image} (Python {python}): {done.stderr.strip()[-1500:]}"
    pins = [line.split("==")[0].lower().replace("-", "_") for line in (GRADESCOPE_FILES / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    wheels = {p.name.split("-")[0].lower() for p in tmp_path.glob("*.whl")}
    assert sorted(wheels) == sorted(pins)
