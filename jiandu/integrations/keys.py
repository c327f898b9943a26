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
