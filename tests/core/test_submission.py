"""Reading submissions: .py files (a notebook downloaded as .py included) and notebooks, with the
lines that only make sense in Jupyter neutralised, and one-line errors for what cannot be read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.core.submission import UnreadableSubmission, read_source

LIMIT = 1 << 20


def _notebook(*cells: str) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                       "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                  "source": cell} for cell in cells]})


def test_notebook_cells_without_jupyter_lines(tmp_path: Path) -> None:
    path = tmp_path / "rnn.ipynb"
    path.write_text(_notebook("import otter\ngrader = otter.Notebook('rnn_bptt.ipynb')",
                              "%matplotlib inline\nimport numpy as np", "x = 1\nif x:\n    grader.check('q1')",
                              "!pip install torch"))
    source = read_source(path, max_bytes=LIMIT).code
    compile(source, "rnn.py", "exec")  # the `if` block keeps a body
    assert "import numpy as np" in source and "x = 1" in source
    for line in source.splitlines():
        assert not line.lstrip().startswith(("import otter", "grader", "%", "!")), line


def test_notebook_downloaded_as_py(tmp_path: Path) -> None:
    """Jupyter's "Download as .py" writes magics as get_ipython() calls and keeps otter's cells."""
    path = tmp_path / "rnn.py"
    path.write_text("import numpy as np\nget_ipython().run_line_magic('matplotlib', 'inline')\n"
                    "import otter\ngrader = otter.Notebook('rnn_bptt.ipynb')\n"
                    "def f():\n    return 1\n\nfor q in ['q1']:\n    grader.check(q)\n")
    source = read_source(path, max_bytes=LIMIT).code
    namespace: dict = {}
    exec(compile(source, "rnn.py", "exec"), namespace)  # nothing left that needs Jupyter or otter
    assert namespace["f"]() == 1 and "otter" not in namespace


def test_plain_py_is_untouched(tmp_path: Path) -> None:
    text = "x = (1\n% 2)\nprint('grader.check is only a string here')\n"
    path = tmp_path / "rnn.py"
    path.write_text(text)
    assert read_source(path, max_bytes=LIMIT).code == text


@pytest.mark.parametrize("name,data,message", [
    ("rnn.py", b"", "is empty"),
    ("rnn.py", b"\xff\xfe\x00x", "is not UTF-8 text"),
    ("rnn.ipynb", b"{not json", "not valid .ipynb JSON"),
    ("rnn.ipynb", json.dumps({"nbformat": 4, "cells": [{"cell_type": "markdown", "source": "hi"}]}).encode(),
     "no code cells"),
])
def test_unreadable_files_say_why_in_one_line(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableSubmission) as info:
        read_source(path, max_bytes=LIMIT)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_cells_of_another_language_are_dropped_with_a_note(tmp_path: Path) -> None:
    """A cell magic is the cell's first line; %%bash & co. run another language, %%time & co.
    run their Python body in the notebook (IPython's documentation of cell magics)."""
    path = tmp_path / "rnn.ipynb"
    path.write_text(_notebook("%%bash\necho 'not python' && ls -l\n", "%%writefile helper.py\nx = (\n",
                              "%%html\n<b>hi</b>", "%%time\ndef f():\n    return 1\n",
                              "%%capture out\ng = 2\n", "import numpy as np"))
    source = read_source(path, max_bytes=LIMIT)
    namespace: dict = {}
    exec(compile(source.code, "rnn.py", "exec"), namespace)  # the bash, writefile and html cells are gone
    assert namespace["f"]() == 1 and namespace["g"] == 2 and "echo" not in source.code
    assert len(source.notes) == 1 and "cell 1 (%%bash)" in source.notes[0]
    assert "cell 2 (%%writefile)" in source.notes[0] and "cell 3 (%%html)" in source.notes[0]


def test_a_symbolic_link_is_refused_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "other_student.py"
    secret.write_text("def rnn_cell_forward(xt, a_prev, parameters):\n    return 'theirs'\n")
    (tmp_path / "rnn.py").symlink_to(secret)
    with pytest.raises(UnreadableSubmission) as info:
        read_source(tmp_path / "rnn.py", max_bytes=LIMIT)
    assert info.value.status == "refused" and "symbolic link" in str(info.value)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "rnn.ipynb"
    path.write_bytes(b" " * (LIMIT + 1))
    with pytest.raises(UnreadableSubmission) as info:
        read_source(path, max_bytes=LIMIT)
    assert info.value.status == "refused" and "MB allowed for a .ipynb submission" in str(info.value)
