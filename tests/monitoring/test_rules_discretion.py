from datetime import date
from decimal import Decimal

import pytest

from tests.monitoring import factories as f
from tests.monitoring.helpers import hits, key

pytestmark = pytest.mark.django_db


def test_disc01_outlier_fine_in_a_group_hits_and_its_peers_do_not():
    u = f.unit()
    peers = [f.case(u, violation_code="V1", fine=Decimal(x)) for x in (1000, 1100, 900, 1000, 1050)]
    outlier = f.case(u, violation_code="V1", fine=Decimal(9000))
    found = hits("DISC-01")
    assert key(outlier) in found
    assert not any(key(p) in found for p in peers)
    assert found[key(outlier)]["group_n"] == 6


def test_disc01_needs_min_group_cases():
    u = f.unit()
    for x in (1000, 1100, 900):
        f.case(u, violation_code="V1", fine=Decimal(x))
    outlier = f.case(u, violation_code="V1", fine=Decimal(9000))
    assert key(outlier) not in hits("DISC-01")  # 4 < 5
    assert key(outlier) in hits("DISC-01", min_group=4)


def test_disc01_z_threshold_both_sides():
    u = f.unit()
    for x in (1000, 1100, 900, 1000, 1200, 800):
        f.case(u, violation_code="V1", fine=Decimal(x))
    # median 1000, MAD 100 -> scale 148.26; 1500 gives z 3.37, 1600 gives z 4.05
    near = f.case(u, violation_code="V1", fine=Decimal(1500), party_type="legal")
    assert key(near) not in hits("DISC-01")
    assert key(near) in hits("DISC-01", z=3.0)


def test_disc01_groups_by_tier_and_party_type():
    u = f.unit()
    for x in (1000, 1100, 900, 1000, 1050):
        f.case(u, violation_code="V1", fine=Decimal(x))
    other_tier = f.case(u, violation_code="V1", fine=Decimal(9000), tier="heavier")
    assert key(other_tier) not in hits("DISC-01")


def test_disc02_fine_outside_tier_of_the_benchmark_in_force_on_decision_date():
    u = f.unit()
    f.item("V2", {"general": (1000, 5000)}, effective_on=date(2020, 1, 1), version=1)
    f.item("V2", {"general": (2000, 8000)}, effective_on=date(2025, 6, 1), version=2)
    before = f.case(u, violation_code="V2", fine=Decimal(6000), decided_on=date(2025, 5, 20))
    after = f.case(u, violation_code="V2", fine=Decimal(6000), decided_on=date(2025, 6, 20))
    below = f.case(u, violation_code="V2", fine=Decimal(1500), decided_on=date(2025, 6, 20))
    edge = f.case(u, violation_code="V2", fine=Decimal(8000), decided_on=date(2025, 6, 1))
    found = hits("DISC-02")
    assert key(before) in found and found[key(before)]["range_max"] == 5000
    assert key(after) not in found
    assert key(below) in found
    assert key(edge) not in found


def test_disc02_multiple_of_illegal_income():
    u = f.unit()
    f.item("V3", {"general": dict(multiple_of="illegal_income", multiple_min=1, multiple_max=3)})
    ok = f.case(u, violation_code="V3", fine=Decimal(3000), illegal_income=Decimal(1000))
    over = f.case(u, violation_code="V3", fine=Decimal(3001), illegal_income=Decimal(1000))
    found = hits("DISC-02")
    assert key(over) in found and key(ok) not in found


def test_disc03_mitigating_circumstance_with_general_tier():
    u = f.unit()
    bad = f.case(u, circumstances=("配合查处",), tier="general")
    ok = f.case(u, circumstances=("配合查处",), tier="lighter")
    plain = f.case(u, circumstances=("初次违法",), tier="general")
    found = hits("DISC-03")
    assert key(bad) in found and key(ok) not in found and key(plain) not in found


def test_disc04_maximum_fine_without_aggravation():
    u = f.unit()
    f.item("V4", {"general": (1000, 5000), "heavier": (5000, 10000)})
    top = f.case(u, violation_code="V4", fine=Decimal(10000), tier="heavier")
    justified = f.case(
        u, violation_code="V4", fine=Decimal(10000), tier="heavier", circumstances=("拒不改正",)
    )
    below = f.case(u, violation_code="V4", fine=Decimal(9999), tier="heavier")
    found = hits("DISC-04")
    assert key(top) in found and key(justified) not in found and key(below) not in found


def test_disc05_item_without_benchmark_or_too_wide():
    u = f.unit()
    f.item("V5")
    f.item("V6", {"general": (100, 1001)})
    f.item("V7", {"general": (100, 1000)})
    for code in ("V5", "V6", "V7"):
        f.case(u, violation_code=code)
    found = hits("DISC-05")
    assert found["V5"]["problem"] == "missing"
    assert found["V6"]["problem"] == "too_wide"
    assert "V7" not in found
