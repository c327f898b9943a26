"""After an import it is the import action (intake.actions.run_batch) that asks monitoring
to re-run the rules reading that kind; the import engine itself knows nothing of rules."""

import csv
import io
from datetime import date

import pytest

from jiandu.intake import actions, engine
from jiandu.intake.readers import read_bytes
from jiandu.lib import uscc
from jiandu.monitoring.models import Alert, RuleRun
from tests.monitoring import factories as f

pytestmark = pytest.mark.django_db
USCC = uscc.make("91331099MA2B3C4D5")


def sheet(quiet: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(
        [["统一社会信用代码", "企业名称", "无事不扰"], [USCC, "甲公司", quiet]]
    )
    return out.getvalue().encode("utf-8-sig")


def test_the_import_engine_alone_runs_no_rules(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = engine.run(read_bytes(sheet("是"), "x.csv"), "enterprises")
    assert result.created == 1
    assert not RuleRun.objects.exists()


def test_the_import_action_reruns_the_rules_reading_what_it_wrote(
    personas, django_capture_on_commit_callbacks
):
    u = f.unit()
    ent = f.enterprise()
    ent.uscc = USCC
    ent.save()
    visit = f.inspection(u, ent, date(2025, 3, 10), kind="routine")

    def upload(quiet):
        batch = actions.create_batch(
            data=sheet(quiet), name="x.csv", kind="enterprises", user=personas["supervisor"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            actions.run_batch(batch)

    upload("是")
    run = RuleRun.objects.get()
    assert run.trigger == "import" and run.rule_ids == ["INSP-05"]
    assert run.status == RuleRun.Status.DONE
    assert Alert.objects.filter(rule="INSP-05", subject_key=visit.subject_key).exists()
    upload("是")  # nothing changed: nothing to re-run
    assert RuleRun.objects.count() == 1
    upload("否")
    assert RuleRun.objects.count() == 2
    assert Alert.objects.get(rule="INSP-05").state == Alert.State.RESOLVED
