"""How the ledger's figures read: pure functions, no ORM, shared by every page and
document that shows a completion rate (cockpit, campaign, acceptance, summary report)."""

NO_RATE = "—"


def completion_rate(closed: int, total: int) -> float | None:
    """整改完成率: closed (已销号) out of all, in percent with one decimal. None when there
    is nothing to close: a unit with no problem has not completed 100 % of anything."""
    return round(closed * 100 / total, 1) if total else None


def rate_text(rate: float | None) -> str:
    """33.3 → "33.3%", 100.0 → "100%", None → "—"."""
    return NO_RATE if rate is None else f"{rate:g}%"
