"""CSV files that a spreadsheet opens as data, never as formulas (CSV injection, OWASP).

Rule: a text cell that starts with = + - @, a tab or a carriage return is written with a single
quote in front, so that Excel, LibreOffice or Google Sheets show it as text instead of running
it (`=HYPERLINK(…)` would otherwise become a live link, `=cmd|…` a command on old versions).
Numbers stay numbers: an int or a float is never touched, nor a text that reads as a number
("-100", "+3.5"), so a negative axis value is still -100 for whoever reads the file.

Every CSV Sonar writes goes through `writer` or `DictWriter` (tests/core/test_csvsafe.py finds
any other use of the csv module's writers in the code).
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def cell(value):
    """`value` as it may go into a CSV cell: a text that a spreadsheet would read as a formula
    gets a leading single quote; anything else, numbers written as text included, is kept."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if NUMBER.fullmatch(value):
        return value
    return "'" + value


class _Writer:
    """csv.writer's interface, every cell made safe."""

    def __init__(self, target):
        self._target = target

    @property
    def dialect(self):
        return self._target.dialect

    def writerow(self, row):
        return self._target.writerow([cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(f, *args, **kwargs):
    """Like csv.writer, with every cell made safe by `cell`."""
    return _Writer(csv.writer(f, *args, **kwargs))


class DictWriter(csv.DictWriter):
    """Like csv.DictWriter, with every cell made safe by `cell`."""

    def writerow(self, rowdict):
        return super().writerow({key: cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        # csv.DictWriter.writerows does not go through writerow.
        for rowdict in rowdicts:
            self.writerow(rowdict)
