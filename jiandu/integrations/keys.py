"""The natural keys the API names records by, where the data contract has none of its
own: a problem's number (ZG + six digits, like a complaint's JB number)."""

import re

PROBLEM_PREFIX = "ZG"
PROBLEM_PATTERN = r"^ZG[0-9]{6,}$"


def problem_ref(pk) -> str:
    return f"{PROBLEM_PREFIX}{pk:06d}" if pk else ""


def pk_of_problem(text: str) -> int | None:
    text = (text or "").strip().upper()
    if re.fullmatch(PROBLEM_PATTERN, text):
        return int(text[len(PROBLEM_PREFIX) :])
    return None


INSTRUMENT_PREFIX = "WS"
INSTRUMENT_PATTERN = r"^WS[0-9]{6,}$"


def instrument_ref(pk) -> str:
    """A supervision instrument (督办函, 意见书): WS + six digits; its 文号 is given too."""
    return f"{INSTRUMENT_PREFIX}{pk:06d}" if pk else ""


def pk_of_instrument(text: str) -> int | None:
    text = (text or "").strip().upper()
    if re.fullmatch(INSTRUMENT_PATTERN, text):
        return int(text[len(INSTRUMENT_PREFIX) :])
    return None
