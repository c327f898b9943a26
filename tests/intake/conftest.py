from datetime import date

import pytest

from jiandu.enforcement.models import Officer
from jiandu.standards.models import Benchmark, Tier, ViolationItem


@pytest.fixture
def catalogue(units):
    item = ViolationItem.objects.create(code="V-1", name="未按规定公示", domain="市场监管")
    bench = Benchmark.objects.create(item=item, version=1, effective_on=date(2024, 1, 1))
    Tier.objects.create(benchmark=bench, level="general", fine_min=1000, fine_max=10000)
    Officer.objects.create(cert_no="C001", name="王一", unit=units["a"])
    Officer.objects.create(cert_no="C002", name="李二", unit=units["a"])
    return item
