"""One place that tries unit A's ids on every detail page, download and export of
every app as the clerk of unit B (must be 404), and as unit A's clerk and the
supervisor (must open). Each app's own tests go deeper; this one catches a new page
that forgot the scoping function."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiandu.campaigns.models import Campaign, FocusArea, SelfCheckReport, SupervisionVisit
from jiandu.documents.uploads import check_upload, save_attachment
from jiandu.enforcement.models import Enterprise, Inspection, PenaltyCase
from jiandu.intake.models import ImportBatch
from jiandu.ledger.actions import create_problem
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.portal.models import Complaint, ComplaintAssignment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def unit_a_objects(units, personas):
    a = units["a"]
    campaign = Campaign.objects.create(title="专项行动", lead_unit=units["justice"])
    report = SelfCheckReport.objects.create(campaign=campaign, unit=a)
    problem = create_problem(
        unit=a,
        focus_area=FocusArea.objects.get(code="procedure"),
        description="甲镇的问题",
        source=Problem.Source.SUPERVISION,
        campaign=campaign,
    )
    attachment = save_attachment(
        check_upload(SimpleUploadedFile("甲镇.pdf", PDF)), owner=problem, unit=a
    )
    enterprise = Enterprise.objects.create(uscc="91330000000000000X", name="甲公司")
    case = PenaltyCase.objects.create(
        unit=a,
        case_no="甲罚〔2026〕1号",
        party_name="甲公司",
        party_type="legal",
        violation_code="X-1",
        filed_on=date(2026, 1, 5),
    )
    inspection = Inspection.objects.create(
        unit=a,
        inspection_no="甲检-1",
        enterprise=enterprise,
        enterprise_name="甲公司",
        inspected_on=date(2026, 1, 6),
    )
    alert = Alert.objects.create(
        rule="PROC-02",
        subject_kind="case",
        subject_key=f"{a.code}/甲罚〔2026〕1号",
        unit=a,
        severity="normal",
        state="new",
        evidence={},
        evidence_hash="h",
    )
    batch = ImportBatch.objects.create(
        kind="cases", unit=a, created_by=personas["clerk_a"], state="done"
    )
    visit = SupervisionVisit.objects.create(
        campaign=campaign, unit=a, visit_date=timezone.localdate()
    )
    complaint = Complaint.objects.create(
        tracking_code="TESTCODE0001", category="other", unit=a, description="反映甲镇"
    )
    ComplaintAssignment.objects.create(complaint=complaint, unit=a)
    complaint_file = save_attachment(
        check_upload(SimpleUploadedFile("举报.pdf", PDF)), owner=complaint, unit=None
    )
    return {
        "self-check report": f"/campaigns/reports/{report.pk}/",
        "self-check export": f"/campaigns/reports/{report.pk}/export/",
        "problem": f"/ledger/{problem.pk}/",
        "attachment download": f"/files/{attachment.pk}/",
        "case": f"/enforcement/cases/{case.pk}/",
        "inspection": f"/enforcement/inspections/{inspection.pk}/",
        "alert": f"/monitoring/alerts/{alert.pk}/",
        "import batch": f"/intake/batches/{batch.pk}/",
        "import error report": f"/intake/batches/{batch.pk}/report.xlsx",
        "supervision visit": f"/campaigns/visits/{visit.pk}/",
        "complaint (assigned to unit A)": f"/public/manage/{complaint.pk}/",
        "complaint file": f"/public/manage/files/{complaint_file.pk}/",
    }


def test_clerk_of_unit_b_gets_404_on_every_object_of_unit_a(unit_a_objects, personas, client_for):
    client = client_for(personas["clerk_b"])
    opened = {name: client.get(url).status_code for name, url in unit_a_objects.items()}
    assert opened == dict.fromkeys(unit_a_objects, 404)


def test_unit_a_and_the_supervisor_open_them(unit_a_objects, personas, client_for):
    for who in ("clerk_a", "supervisor"):
        client = client_for(personas[who])
        for name, url in unit_a_objects.items():
            assert client.get(url).status_code == 200, (who, name, url)


def test_anonymous_visitors_are_sent_to_login(unit_a_objects, client_for):
    client = client_for(None)
    for name, url in unit_a_objects.items():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name
