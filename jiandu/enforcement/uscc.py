"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character.
Pure functions, no ORM."""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize(value: str) -> str:
    return (value or "").strip().upper()


def check_char(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(value: str) -> bool:
    value = normalize(value)
    if len(value) != 18 or any(c not in CHARSET for c in value):
        return False
    return check_char(value[:17]) == value[17]


def error(value: str) -> str | None:
    """A Chinese reason why `value` is not a valid code, or None."""
    value = normalize(value)
    if len(value) != 18:
        return f"统一社会信用代码应为18位，当前为{len(value)}位。"
    bad = [c for c in value if c not in CHARSET]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”。"
    if check_char(value[:17]) != value[17]:
        return "统一社会信用代码校验位不正确，请核对。"
    return None


def make(first17: str) -> str:
    """Complete 17 characters with their check character (tests and demo data)."""
    first17 = normalize(first17)
    return first17 + check_char(first17)
