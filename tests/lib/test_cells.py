"""The one rule every exporter follows, and its inverse the import applies."""

from datetime import date
from decimal import Decimal

import pytest

from jiandu.lib.cells import neutralise, neutralise_row, unquote, unquote_column


@pytest.mark.parametrize(
    "value, written",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("-", "'-"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("'=typed with an apostrophe", "''=typed with an apostrophe"),
        ("'quoted", "'quoted"),  # not formula-like: left alone
        ("甲公司", "甲公司"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_round_trips(value, written):
    assert neutralise(value) == written
    assert neutralise_row([value]) == [written]
    assert unquote(written) == value
    assert unquote_column([written, 1]) == [value, 1]


@pytest.mark.parametrize("value", [-3, -2.5, Decimal("-1.20"), date(2026, 1, 2), None, True])
def test_numbers_dates_and_empties_stay_typed(value):
    assert neutralise(value) is value
    assert neutralise_row([value])[0] is value
