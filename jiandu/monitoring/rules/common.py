"""Case predicates shared by several rules."""

import polars as pl

from jiandu.enforcement.models import NO_PENALTY, PENALTY_KINDS
from jiandu.monitoring.rules.predicates import has, has_any
from jiandu.standards.models import TierLevel

MAJOR_KINDS = ("吊销许可证件", "降低资质等级", "责令停产停业", "责令关闭", "限制从业")
# Every kind of Art. 9 beyond its first item (警告, 通报批评): a fine or heavier.
HEAVY_KINDS = tuple(k for k in PENALTY_KINDS if k not in ("警告", "通报批评", "不予处罚"))

CASE_KEYS = ["subject_key", "unit_id", pl.col("decided_on").alias("subject_date")]
# For rules that hit undecided cases too: dated by the decision, else by the filing.
UNDECIDED_CASE_KEYS = [
    "subject_key",
    "unit_id",
    pl.coalesce("decided_on", "filed_on").alias("subject_date"),
]


def decided() -> pl.Expr:
    return pl.col("decided_on").is_not_null()


def punished() -> pl.Expr:
    """Decided with a penalty (not 不予处罚): PenaltyCase.punished over a frame."""
    return (
        decided()
        & ~has("penalty_kinds", NO_PENALTY)
        & (pl.col("tier").fill_null("") != TierLevel.EXEMPT.value)
    )


def _major_fine(major_fine_natural: float, major_fine_other: float) -> pl.Expr:
    """The 较大数额 for the case's party: one amount for natural persons, one for the rest."""
    return (
        pl.when(pl.col("party_type") == "natural")
        .then(pl.lit(float(major_fine_natural)))
        .otherwise(pl.lit(float(major_fine_other)))
    )


def major(major_fine_natural: float, major_fine_other: float) -> pl.Expr:
    """A major decision (Art. 58 / 57): a grave penalty kind, a hearing held, or a large fine."""
    threshold = _major_fine(major_fine_natural, major_fine_other)
    return decided() & (
        has_any("penalty_kinds", MAJOR_KINDS)
        | (pl.col("hearing").eq(True))  # NULL is unknown, not yes
        | (pl.col("fine").fill_null(0) >= threshold)
    )


def major_reason(major_fine_natural: float, major_fine_other: float) -> pl.Expr:
    threshold = _major_fine(major_fine_natural, major_fine_other)
    return pl.concat_str(
        [
            pl.when(has_any("penalty_kinds", MAJOR_KINDS))
            .then(pl.lit("处罚种类重大；"))
            .otherwise(pl.lit("")),
            pl.when(pl.col("hearing").eq(True)).then(pl.lit("经过听证；")).otherwise(pl.lit("")),
            pl.when(pl.col("fine").fill_null(0) >= threshold)
            .then(pl.lit("罚款达到较大数额；"))
            .otherwise(pl.lit("")),
        ]
    )


def kinds_text(col="penalty_kinds") -> pl.Expr:
    """A ';a;b;' column (penalty kinds, circumstances, officers) as 'a、b'."""
    return pl.col(col).fill_null("").str.strip_chars(";").str.replace_all(";", "、", literal=True)
