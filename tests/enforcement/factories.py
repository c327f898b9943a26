"""Enterprises, cases, inspections, officers and benchmarks as the set-up of a test."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from jiandu.enforcement.models import Enterprise, Inspection, Officer, PenaltyCase
from jiandu.lib.uscc import make
from jiandu.standards.models import Benchmark, Tier


def uscc(n: int) -> str:
    return make(f"91330000MA{n:07d}")


def enterprise(n=1, **extra):
    return Enterprise.objects.create(uscc=uscc(n), name=extra.pop("name", f"测试企业{n}"), **extra)


def case(unit, no="C-1", **extra):
    defaults = {
        "party_name": "测试企业1",
        "party_type": "legal",
        "party_uscc": uscc(1),
        "violation_code": "SC-001",
        "filed_on": date(2025, 3, 3),
    }
    defaults.update(extra)
    return PenaltyCase.objects.create(unit=unit, case_no=no, **defaults)


def inspection(unit, ent, no="I-1", **extra):
    defaults = {"enterprise_name": ent.name, "inspected_on": date(2025, 5, 6), "kind": "routine"}
    defaults.update(extra)
    return Inspection.objects.create(unit=unit, inspection_no=no, enterprise=ent, **defaults)


def officer(unit, cert, valid_days=365, **extra):
    valid = timezone.localdate() + timedelta(days=valid_days) if valid_days is not None else None
    return Officer.objects.create(
        cert_no=cert, name=extra.pop("name", f"人员{cert}"), unit=unit, valid_until=valid, **extra
    )


def benchmark(item, version, effective_on, tiers, published=True):
    b = Benchmark.objects.create(
        item=item, version=version, effective_on=effective_on, published=published
    )
    for level, lo, hi in tiers:
        Tier.objects.create(benchmark=b, level=level, fine_min=Decimal(lo), fine_max=Decimal(hi))
    return b
