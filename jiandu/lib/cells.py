"""Cells of the spreadsheets we write, safe to open (OWASP "CSV injection").

Every cell of every .xlsx or .csv file jiandu writes goes through `neutralise`: the
export renderer (lib.exports), the import error report and blank templates
(intake.report, intake.blank) and `jiandu generate`. A text starting with =, +, -, @,
tab or CR would be taken for a formula by a spreadsheet, so it is written as text with
a leading apostrophe. An import reads such a cell back without it (`unquote`, in
intake.engine), so what an export wrote imports as the value it was: "-" and
"+86 138…" round-trip unchanged. Standard library only, so the import engine and
`jiandu generate` load it cheaply.
"""

import re

# A text a spreadsheet would evaluate. Texts that already start with apostrophes before
# such a character get one more, so that `unquote` gives back exactly what was written
# (a value typed as "'=1" exports as "''=1" and imports as "'=1").
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
_FIRST = frozenset("'=+-@\t\r")


def neutralise(value):
    """`value` as safe to put in a spreadsheet cell: a formula-like text gets a leading
    apostrophe; numbers, dates and other texts are left as they are (-3 stays a
    number)."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def neutralise_row(values) -> list:
    """`neutralise` on each value; inline, as `jiandu generate` writes millions of cells."""
    first, formula = _FIRST, _FORMULA.match
    return ["'" + v if isinstance(v, str) and v[:1] in first and formula(v) else v for v in values]


def unquote(value):
    """The inverse of `neutralise`, for a cell read from a spreadsheet."""
    if isinstance(value, str) and _QUOTED.match(value):
        return value[1:]
    return value


def unquote_column(values: list) -> list:
    """`values` (one column of an imported sheet) with `unquote` applied. Most columns
    hold no apostrophe-led text at all: that is found without a Python step per cell."""
    joined = "\x00" + "\x00".join(filter(str.__instancecheck__, values))
    if "\x00'" not in joined:
        return values
    return [unquote(v) for v in values]
