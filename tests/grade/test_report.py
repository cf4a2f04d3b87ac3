"""grades.csv, feedback and report.html are rebuilt from results.jsonl; report.html read as HTML
(every row links to its feedback, the groups name the right students, statuses keep their colours)
and rendered in a real browser."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest

from autograder.config import SOLUTIONS_DIR
from autograder.questions import registry
from autograder.diagnosis.bugs import BUGS_BY_ID, patched_source
from autograder.grade import rebuild_outputs
from autograder.grade.report import (PLOTS, STATUS_COLOURS, failure_groups, failure_kind, feedback, row_status,
                                     nothing_graded, write_csv, write_html)
from autograder.questions import checks_module
from autograder.grade.store import latest, read_records
from tests.grade.conftest import BUG, REFERENCE, grade, write_class

QUESTIONS = registry.ids()

PNG = b"\x89PNG\r\n\x1a\n"
STUB = (SOLUTIONS_DIR.parent / "assignment" / "rnn.py").read_text(encoding="utf-8")
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def report_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared class (correct .py and notebook, a bug, non-UTF-8 bytes, a syntax error, an endless
    loop) plus a second student with the same bug, the untouched stub, a forbidden import at import
    time, and a student folder with two candidate files (refused)."""
    root = tmp_path_factory.mktemp("report")
    source = write_class(root / "submissions")
    (source / "ivy.py").write_text(patched_source(BUGS_BY_ID[BUG]) + "\n# ivy\n", encoding="utf-8")
    (source / "fay.py").write_text(STUB, encoding="utf-8")
    (source / "hal.py").write_text(REFERENCE + "\n\nimport torch\n\n\ndef rnn_cell_forward(xt, a_prev, parameters):\n"
                                   "    return torch.tanh(torch.tensor(xt))\n", encoding="utf-8")
    (source / "gus").mkdir()
    for name in ("a.py", "b.py"):
        (source / "gus" / name).write_text(REFERENCE, encoding="utf-8")
    assert grade(source, root / "out") == 0
    return root / "out"


class _Page(HTMLParser):
    """Tables (rows of cells: text, links, status badges) and images of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[dict]]] = []
        self.images: list[dict[str, str]] = []
        self.badges: list[dict[str, str]] = []  # every status badge of the page
        self.text: list[str] = []
        self._cell: dict | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = {"text": "", "links": [], "badges": []}
            self.tables[-1][-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(a["href"])
        elif tag == "span" and "data-status" in a and self._cell is not None:
            self._cell["badges"].append(a)
        elif tag == "img":
            self.images.append(a)
        if tag == "span" and "data-status" in a:
            self.badges.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)
            if self._cell is not None:
                self._cell["text"] += data


def _page(out: Path) -> _Page:
    page = _Page()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    return page


def _table(page: _Page, first_header: str, *, containing: str) -> list[list[dict]]:
    """The table whose header row starts with `first_header` and has a column `containing`."""
    for table in page.tables:
        header = [c["text"].strip() for c in table[0]]
        if header[0] == first_header and containing in header:
            return table
    raise AssertionError(f"no table with columns {first_header} … {containing}")


def test_every_submission_is_a_row_linking_to_its_feedback(report_class: Path) -> None:
    page = _page(report_class)
    table = _table(page, "submission", containing="not passed")
    header = [c["text"].strip() for c in table[0]]
    assert header[1:1 + len(QUESTIONS)] == list(QUESTIONS) and "total" in header and "status" in header
    records = latest(read_records(report_class / "results.jsonl"))
    names = {row[0]["text"].strip(): row for row in table[1:]}
    assert sorted(names) == sorted(records) == sorted(
        ["ada", "bea", "cid", "dot", "eli", "zed", "ivy", "fay", "hal", "gus"])
    for name, row in names.items():
        (link,) = row[0]["links"]
        target = report_class / unquote(link)
        assert target.is_file() and target.read_text(encoding="utf-8").startswith(f"# Feedback for {name}")
        status = row[header.index("status")]["text"].strip()
        record = records[name]
        # README (grades.csv status): a plain grade with some points but not all reads "partial"
        some = 0 < record["score"] < record["max_score"] and record["status"] in ("failed", "not_implemented")
        assert status == ("partial" if some else record["status"])
        assert row[header.index("total")]["text"].strip().startswith(f"{records[name]['score']:g} /")


def test_row_status_partial_only_for_plain_grades_with_some_points(report_class: Path) -> None:
    """README (grades.csv status): cid (one question's bug, the rest right) and ivy read "partial",
    although their record keeps the worst question status "failed"; the stub (fay, no points)
    stays "not_implemented", full marks "ok", and a timeout with points (zed) stays "timeout"."""
    records = latest(read_records(report_class / "results.jsonl"))
    assert records["cid"]["status"] == "failed" and row_status(records["cid"]) == "partial"
    assert row_status(records["fay"]) == "not_implemented" and records["fay"]["score"] == 0
    assert row_status(records["ada"]) == "ok"
    assert records["zed"]["score"] > 0 and row_status(records["zed"]) == "timeout"
    page = _page(report_class)
    assert "partial" in {b["data-status"] for b in page.badges}


def test_needs_a_look_lists_what_is_not_a_plain_grade(report_class: Path) -> None:
    """timeout, syntax error, unreadable bytes, forbidden import, refused folder: listed; a wrong
    answer (cid, ivy), the stub (fay: not_implemented) and full marks: not listed."""
    page = _page(report_class)
    table = _table(page, "submission", containing="what happened")
    listed = {row[0]["text"].strip(): row for row in table[1:]}
    assert sorted(listed) == ["dot", "eli", "gus", "hal", "zed"]
    assert "UTF-8" in listed["dot"][3]["text"] and "more than one file" in listed["gus"][3]["text"]
    assert listed["hal"][1]["text"].strip() == "forbidden" and listed["zed"][1]["text"].strip() == "timeout"


def test_hint_groups_list_the_right_students(report_class: Path) -> None:
    """The bug's hint (bug library) is listed, in the bug's question, for exactly the two students
    with that bug; the stub's questions are grouped as "not implemented" with fay alone."""
    page = _page(report_class)
    hint = BUGS_BY_ID[BUG].hint
    for table in (t for t in page.tables if len(t[0]) >= 3 and t[0][0]["text"] == "students"):
        for row in table[1:]:
            text = row[-2]["text"]
            who = sorted(unquote(link).removeprefix("feedback/").removesuffix(".md") for link in row[-1]["links"])
            assert int(row[0]["text"]) == len(who)
            if hint in text:
                assert who == ["cid", "ivy"]
            if text.startswith("not implemented"):
                assert who == ["fay"]
    groups = failure_groups(list(latest(read_records(report_class / "results.jsonl")).values()))
    hinted = [g for g in groups if g.hint and hint in g.what]
    assert [(g.question, g.students) for g in hinted] == [(BUGS_BY_ID[BUG].question, ("cid", "ivy"))]
    assert {g.students for g in groups if g.what == "not implemented"} == {("fay",)}
    assert not any(set(g.students) & {"dot", "eli", "gus"} for g in groups)  # never run: needs a look instead


def test_no_masked_messages_and_none_for_empty_tables(report_class: Path, tmp_path: Path) -> None:
    page = _page(report_class)
    text = "".join(page.text)
    assert "#" not in text and "q#" not in text
    shutil.copy(report_class / "results.jsonl", tmp_path / "results.jsonl")
    records = [r for r in read_records(tmp_path / "results.jsonl") if r["submission"] in ("ada", "bea")]
    (tmp_path / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    rebuild_outputs(tmp_path)
    calm = _page(tmp_path)
    assert "".join(calm.text).count("none") >= 1 + len(QUESTIONS)  # needs a look, wrong most, each question
    assert all(len(t) > 1 for t in calm.tables)  # no table that is only a header


def test_statuses_coloured_as_specified(report_class: Path) -> None:
    """Each status has one colour everywhere, ok is green, no two statuses share a colour."""
    page = _page(report_class)
    seen: dict[str, set[str]] = {}
    for badge in page.badges:
        colour = re.search(r"background:(#[0-9a-f]{6})", badge["style"])[1]
        seen.setdefault(badge["data-status"], set()).add(colour)
    assert {"ok", "failed", "timeout", "syntax_error", "forbidden", "not_implemented"} <= set(seen)
    assert all(colours == {STATUS_COLOURS[s]} for s, colours in seen.items())
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)
    r, g, b = (int(STATUS_COLOURS["ok"][i:i + 2], 16) for i in (1, 3, 5))
    assert g > 1.5 * max(r, b)  # green


def test_plots_are_drawn_with_alt_text(report_class: Path) -> None:
    page = _page(report_class)
    for name in PLOTS:
        data = (report_class / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 5000, name  # a drawn figure, not an empty file
    images = {img["src"]: img["alt"] for img in page.images}
    assert sorted(images) == sorted(PLOTS)
    assert all(len(alt) > 40 and "png" not in alt for alt in images.values())
    assert "q3 mean" in images["questions.png"]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium): report not rendered")
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("clicks", [1, 2])
def test_table_sorts_in_chromium(report_class: Path, tmp_path: Path, clicks: int) -> None:
    """Clicking "total" once sorts the rows by total, ascending; twice, descending (order: results.jsonl)."""
    click = ('<script>const th = [...document.querySelectorAll("table.sortable th")]'
             '.find(h => h.textContent === "total"); for (let i = 0; i < %d; i++) th.click();</script></body>' % clicks)
    page = tmp_path / "report.html"
    page.write_text((report_class / "report.html").read_text(encoding="utf-8").replace("</body>", click))
    done = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    table = _Page()
    table.feed(done.stdout)
    header, *rows = _table(table, "submission", containing="not passed")
    column = [c["text"] for c in header].index("total")
    totals = [float(row[column]["text"].split("/")[0]) for row in rows]
    expected = sorted(r["score"] for r in latest(read_records(report_class / "results.jsonl")).values())
    assert totals == (expected if clicks == 1 else expected[::-1])


def test_report_in_headless_chromium(report_class: Path, tmp_path: Path) -> None:
    """The page renders in Debian's Chromium, offline, with its plots loaded (the plots' bar colour
    and the ok badge's green both appear in the screenshot)."""
    import matplotlib.image

    shot = tmp_path / "report.png"
    done = _chromium(tmp_path, "--window-size=1600,1800", f"--screenshot={shot}", (report_class / "report.html").as_uri())
    assert done.returncode == 0 and shot.read_bytes().startswith(PNG), done.stderr[-2000:]
    pixels = (matplotlib.image.imread(shot)[:, :, :3] * 255).round().astype(int)
    assert pixels.shape[:2] == (1800, 1600)
    colours = {tuple(p) for p in pixels.reshape(-1, 3)[::7]}

    def present(hex_colour: str) -> bool:
        want = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return any(max(abs(a - b) for a, b in zip(c, want)) <= 3 for c in colours)

    assert present(STATUS_COLOURS["ok"]) and present("#4a78b0")


def test_outputs_rebuilt_from_results_only(graded_class: Path, tmp_path: Path) -> None:
    shutil.copy(graded_class / "results.jsonl", tmp_path / "results.jsonl")
    rebuild_outputs(tmp_path)
    assert (tmp_path / "grades.csv").read_text() == (graded_class / "grades.csv").read_text()
    assert sorted(p.name for p in (tmp_path / "feedback").iterdir()) == \
        sorted(p.name for p in (graded_class / "feedback").iterdir())


def test_identity_columns(graded_class: Path, tmp_path: Path) -> None:
    records = list(latest(read_records(graded_class / "results.jsonl")).values())
    records[0]["identity"] = {"name": "Ada", "sid": "7"}
    write_csv(records, tmp_path / "g.csv")
    header, first = (tmp_path / "g.csv").read_text().splitlines()[:2]
    assert header.startswith("submission,name,sid,q1") and first.split(",")[1:3] == ["Ada", "7"]
    write_html(records, tmp_path)
    table = _table(_page(tmp_path), "submission", containing="not passed")
    assert [c["text"] for c in table[0][:4]] == ["submission", "name", "sid", "q1"]
    assert [c["text"] for c in table[1][1:3]] == ["Ada", "7"]


def test_failure_groups_do_not_depend_on_order(graded_class: Path) -> None:
    """The report lists the same groups whatever order the submissions were graded in."""
    records = list(latest(read_records(graded_class / "results.jsonl")).values())
    assert failure_groups(records) == failure_groups(records[::-1]) == failure_groups(
        sorted(records, key=lambda r: r["status"]))


def test_feedback_layout(graded_class: Path) -> None:
    """Score first; passed questions with their public cases by name; then what did not pass; a file
    that could not be imported gets its message once, not once per question."""
    records = {r["submission"]: r for r in latest(read_records(graded_class / "results.jsonl")).values()}
    cid = feedback(records["cid"])
    assert cid.splitlines()[2].startswith("**Score: ")
    assert cid.index("## Passed") < cid.index("## Did not pass")
    public_q1 = [c["name"] for c in records["cid"]["questions"]["q1"]["cases"] if not c["hidden"]]
    passed = cid[cid.index("## Passed"):cid.index("## Did not pass")]
    assert all(name.split(": ", 1)[1] in passed for name in public_q1)
    assert BUGS_BY_ID[BUG].question in cid[cid.index("## Did not pass"):]
    eli = feedback(records["eli"])
    assert nothing_graded(records["eli"]) and eli.count("SyntaxError") == 1 and "## " not in eli
    zed = feedback(records["zed"])
    assert "timeout" in zed and "## Passed" in zed


def _message(check, *args, **kwargs) -> str:
    try:
        check(*args, **kwargs)
    except AssertionError as e:
        return f"q3 (the notebook's example (seed 1)): {e}"
    raise AssertionError("the check passed")


def test_failure_kinds_name_the_array_never_the_values() -> None:
    """Messages as the real checks (questions/support/rnn_checks.py) word them, with different
    values, give one kind each."""
    checks = checks_module()
    expected = np.zeros((5, 10))
    kinds = {
        "dxt: wrong values": [_message(checks.assert_close, "dxt", expected + v, expected, rtol=1e-6, atol=1e-9)
                              for v in (0.5, 2.0)],
        "da_prev: wrong shape": [_message(checks.check_array, "da_prev", np.zeros(s), (5, 10)) for s in ((10, 5), (5,))],
        "dWax: not a numpy array": [_message(checks.check_array, "dWax", [[1.0]], (5, 3))],
        "dba: NaN or inf": [_message(checks.check_array, "dba", np.full((5, 1), np.nan), (5, 1))],
        "len(caches): wrong count": [_message(checks.assert_close, "len(caches)", n, np.array(2)) for n in (1, 3)],
    }
    for kind, messages in kinds.items():
        for message in messages:
            assert failure_kind("q3", {"status": "failed", "message": message,
                                       "name": "q3 public: the notebook's example (seed 1)"}) == kind, message
    assert failure_kind("q3", {"status": "timeout", "message": "no answer within 2 s", "name": "q3 hidden: x"}) == "timeout"
    raised = {"status": "failed", "message": "NameError: name 'helper' is not defined (line 12: helper(x))", "name": "x"}
    assert failure_kind("q3", raised) == "raised NameError: name 'helper' is not defined"
