"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character
computed over the first 17 with weights 3^i mod 31. Pure functions, no ORM."""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ...


def check_char(prefix17: str) -> str:
    """The check character of the first 17 characters (ValueError on a bad character)."""
    if len(prefix17) != 17:
        raise ValueError("need 17 characters")
    try:
        total = sum(VALUES[c] * w for c, w in zip(prefix17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} not allowed") from exc
    return CHARSET[(31 - total % 31) % 31]


def make(prefix17: str) -> str:
    """A full code from its first 17 characters."""
    prefix17 = prefix17.upper()
    return prefix17 + check_char(prefix17)


def problem(code: str) -> str | None:
    """None when the code is valid, else the Chinese reason."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位（当前{len(code)}位）"
    bad = [c for c in code if c not in VALUES]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”"
    if check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None
