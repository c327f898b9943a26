"""Small factories for rule tests: every record gets sensible defaults that hit no rule,
so a test states only the fields that matter to the rule under test."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from jiandu.enforcement.models import (
    CreditRepair,
    Enterprise,
    Inspection,
    Officer,
    PenaltyCase,
    RandomDraw,
    Transfer,
    join_multi,
)
from jiandu.orgs.models import Unit
from jiandu.standards.models import Benchmark, LenientListItem, Tier, ViolationItem

_seq = itertools.count(1)
VALID = date(2030, 12, 31)


def unit(code=None, kind=Unit.Kind.DEPARTMENT):
    n = next(_seq)
    code = code or f"U{n:03d}"
    return Unit.objects.create(code=code, name=f"单位{code}", kind=kind)


def officers(u, n=2, valid_until=VALID):
    out = []
    for _ in range(n):
        i = next(_seq)
        out.append(
            Officer.objects.create(
                cert_no=f"ZF{i:05d}", name=f"执法员{i}", unit=u, valid_until=valid_until
            ).cert_no
        )
    return out


def enterprise(quiet=None):
    i = next(_seq)
    return Enterprise.objects.create(uscc=f"91330000MA{i:08d}", name=f"企业{i}", quiet_list=quiet)


def item(code=None, tiers=None, effective_on=None, version=1, statutory_max=None, published=True):
    """tiers: {level: (min, max)} or {level: dict(multiple_of=..., multiple_min=..., multiple_max=...)}."""
    code = code or f"V{next(_seq):04d}"
    it, _ = ViolationItem.objects.get_or_create(
        code=code, defaults={"name": f"违法行为{code}", "statutory_fine_max": statutory_max}
    )
    if tiers is not None:
        bm = Benchmark.objects.create(
            item=it, version=version, effective_on=effective_on, published=published
        )
        for level, spec in tiers.items():
            if isinstance(spec, dict):
                Tier.objects.create(benchmark=bm, level=level, **spec)
            else:
                Tier.objects.create(benchmark=bm, level=level, fine_min=spec[0], fine_max=spec[1])
    return it


def lenient(code, kind, effective_on=None):
    return LenientListItem.objects.create(
        list_kind=kind, code=code, conditions="清单条件", effective_on=effective_on
    )


def case(u, *, officer_certs=None, kinds=("罚款",), circumstances=(), fine=Decimal("1000"), **kw):
    """A clean, complete, decided case: notified, reviewed, served and published in time."""
    filed = kw.pop("filed_on", date(2025, 3, 3))
    decided = kw.pop("decided_on", filed + timedelta(days=20))
    defaults = dict(
        case_no=f"CF-{next(_seq):05d}",
        party_name="某公司",
        party_type="legal",
        party_uscc=f"91330000MB{next(_seq):08d}",
        violation_code=kw.pop("violation_code", "V-NONE"),
        filed_on=filed,
        notified_on=decided - timedelta(days=5) if decided else None,
        legal_review=True,
        legal_review_on=decided - timedelta(days=2) if decided else None,
        collective_discussion=True,
        av_recorded=True,
        decided_on=decided,
        served_on=decided + timedelta(days=1) if decided else None,
        published_on=decided + timedelta(days=1) if decided else None,
        tier="general",
        fine=fine,
    )
    defaults.update(kw)
    if "served_on" in kw and "credit_notice_on" not in kw:
        defaults.setdefault("credit_notice_on", defaults["served_on"])
        defaults.setdefault("compliance_advice_on", defaults["served_on"])
    defaults.setdefault("credit_notice_on", defaults["served_on"])
    defaults.setdefault("compliance_advice_on", defaults["served_on"])
    certs = officer_certs if officer_certs is not None else officers(u)
    return PenaltyCase.objects.create(
        unit=u,
        penalty_kinds=join_multi(kinds),
        circumstances=join_multi(circumstances),
        officers=join_multi(certs),
        **defaults,
    )


def inspection(u, ent, on, *, officer_certs=None, **kw):
    defaults = dict(
        inspection_no=f"JC-{next(_seq):05d}",
        enterprise_name=ent.name,
        mode="onsite",
        kind="routine",
        registration_no=f"DJ{next(_seq)}",
        registered_on=on - timedelta(days=1),
    )
    defaults.update(kw)
    certs = officer_certs if officer_certs is not None else officers(u)
    return Inspection.objects.create(
        unit=u, enterprise=ent, inspected_on=on, officers=join_multi(certs), **defaults
    )


def random_draw(u, drawn_on, published_on=None):
    return RandomDraw.objects.create(
        draw_no=f"SJ-{next(_seq)}", unit=u, drawn_on=drawn_on, published_on=published_on
    )


def transfer(from_u, to_u, sent_on, received_on=None):
    return Transfer.objects.create(
        transfer_no=f"YS-{next(_seq)}",
        from_unit=from_u,
        to_unit=to_u,
        sent_on=sent_on,
        received_on=received_on,
    )


def repair(u, applied_on, **kw):
    return CreditRepair.objects.create(
        unit=u, case_no=kw.pop("case_no", f"CF-R{next(_seq)}"), applied_on=applied_on, **kw
    )


def alert(unit, state="new", severity="normal", rule="PROC-02", subject_key=None, **fields):
    """An alert placed straight into a state, as the set-up of a list or action test (the
    app itself makes alerts by running the rules)."""
    from jiandu.monitoring.models import Alert

    return Alert.objects.create(
        rule=rule,
        subject_kind="case",
        subject_key=subject_key or f"{getattr(unit, 'code', 'X')}/罚〔2026〕{next(_seq)}号",
        unit=unit,
        severity=severity,
        state=state,
        evidence={},
        evidence_hash="h",
        **fields,
    )
