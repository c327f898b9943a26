"""What may not stand in a text the public reads: mobile and landline numbers and
identity numbers, however they are spaced or written (full-width digits, dashes, dots).
Pure functions; the portal's 曝光 and the published best cases both check with them."""

import re
import unicodedata

PHONE_RE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}\d{7,8}(?!\d)")
IDNO_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
# What people put between the digits of a number or the characters of a name.
SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−﹣_.·•()（）\[\]【】/]")


def redaction_form(text: str) -> str:
    """Text as the redaction check reads it: full-width digits and letters made
    half-width (NFKC), separators removed, so `1 3 7－0057 1188` is 13700571188."""
    return SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", text or ""))


def personal_data_problem(text: str, what: str = "内容") -> str | None:
    """A Chinese refusal naming the kind of personal data found in `text`, or None."""
    plain = redaction_form(text)
    if PHONE_RE.search(plain):
        return f"{what}含有手机号码，请删除后再发布。"
    if LANDLINE_RE.search(plain):
        return f"{what}含有固定电话号码，请删除后再发布。"
    if IDNO_RE.search(plain):
        return f"{what}含有身份证号码，请删除后再发布。"
    return None
