import pytest

from jiandu.intake.models import ApiToken
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea
from jiandu.portal.models import Category, Complaint


@pytest.fixture
def tokens(units):
    """Raw tokens: county-wide reader, unit A reader+writer, unit B reader, import only."""
    out = {}
    for key, unit, scopes in (
        ("county", None, "import,read"),
        ("a", units["a"], "read,write"),
        ("b", units["b"], "read,write"),
        ("import_only", None, "import"),
        ("read_a", units["a"], "read"),
    ):
        _token, out[key] = ApiToken.issue(name=f"系统-{key}", unit=unit, scopes=scopes)
    return out


@pytest.fixture
def county_data(units):
    """Two problems, two alerts and two complaints: one of each in unit A, one in B."""
    area = FocusArea.objects.get(code="procedure")
    made = {}
    for key in ("a", "b"):
        made[f"problem_{key}"] = Problem.objects.create(
            unit=units[key],
            focus_area=area,
            description=f"{key} 执法全过程记录不完整",
            source=Problem.Source.SELF_CHECK,
            state=Problem.State.IN_PROGRESS,
            measures="补齐记录",
            responsible_person="张三",
        )
        made[f"alert_{key}"] = Alert.objects.create(
            rule="PROC-01",
            subject_kind="case",
            subject_key=f"{units[key].code}/案-1",
            unit=units[key],
            evidence={"决定日期": "2026-03-01", "立案日期": "2026-01-01"},
            evidence_hash=f"h{key}",
        )
        made[f"complaint_{key}"] = Complaint.objects.create(
            tracking_code=f"SECRET{key.upper()}123",
            category=Category.FINE,
            unit=units[key],
            description="罚款过重",
            name_cipher="cipher-name",
            phone_cipher="cipher-phone",
        )
    return made
