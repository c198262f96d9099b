"""Every CSV Sonar writes opens in a spreadsheet as data: text starting like a formula is made
inert with a leading quote (OWASP), numbers stay numbers (sonar/core/csvsafe.py)."""

import ast
import csv
import io
from pathlib import Path

import pytest

import sonar
from sonar.core import csvsafe, opendata

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("https://exemple.invalid","x")',
        "+33 1 23 45 67 89",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "-",
        "- une liste",
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(typed):
    assert csvsafe.cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "value", [-100, 3.5, 0, "-100", "+3.5", "-0,5", "-1e3", "Camille", "", None, "a=b", "2-3"]
)
def test_numbers_and_ordinary_text_are_kept_as_they_are(value):
    assert csvsafe.cell(value) == value


def read(text):
    return list(csv.reader(io.StringIO(text)))


def test_the_writers_make_every_cell_safe_headers_included():
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerows([["=1+1", -100, "-100"], ["ok", "@x", 2]])
    assert read(buffer.getvalue()) == [["'=1+1", "-100", "-100"], ["ok", "'@x", "2"]]

    buffer = io.StringIO()
    writer = csvsafe.DictWriter(buffer, fieldnames=["pseudo", "x"])
    writer.writeheader()
    writer.writerows([{"pseudo": "=1+1", "x": -100}])
    writer.writerow({"pseudo": "+1", "x": "-5"})
    assert read(buffer.getvalue()) == [["pseudo", "x"], ["'=1+1", "-100"], ["+1", "-5"]]


def _csv_writer_calls(path):
    """Line numbers where `path` makes a writer of the csv module itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            if {alias.name for alias in node.names} & {"writer", "DictWriter"}:
                found.append(node.lineno)
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in {"writer", "DictWriter"}
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            found.append(node.lineno)
    return found


def test_every_csv_sonar_writes_goes_through_csvsafe():
    root = Path(sonar.__file__).parent
    helper = root / "core" / "csvsafe.py"
    assert _csv_writer_calls(helper), "the guard must see the helper's own use of csv.writer"
    offenders = [
        f"{path.relative_to(root.parent)}:{line}"
        for path in sorted(root.rglob("*.py"))
        if path != helper
        for line in _csv_writer_calls(path)
    ]
    assert not offenders, (
        "Write CSV with sonar.core.csvsafe.writer or DictWriter, so that typed text cannot "
        "become a spreadsheet formula: " + ", ".join(offenders)
    )


@pytest.mark.django_db
def test_the_open_data_files_are_unchanged_by_it(reference_content):
    # The open data holds only the reference content; if a text of it ever starts like a
    # formula, its CSV cell gains a quote: document it in the export before changing this.
    changed = [
        (dataset.name, column, value)
        for dataset in opendata.datasets()
        for row in dataset.csv_rows()
        for column, value in row.items()
        if csvsafe.cell(value) != value
    ]
    assert not changed
    negative = [
        value
        for row in next(d for d in opendata.datasets() if d.name == "resources").csv_rows()
        for value in row.values()
        if isinstance(value, int) and value < 0
    ]
    assert negative, "the map's negative axis values are written as they are"
