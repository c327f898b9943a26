"""In a real browser (HTMX posting the multipart form): a progress note with a good and
a bad file is refused naming the bad one; the good one stays listed as 已上传 and is
attached by the next click without being chosen again."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.documents.uploads import attachments_of
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea, Role, Unit
from tests.browser.factories import login
from tests.orgs.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="PNG")
    return out.getvalue()


def test_good_file_is_kept_when_a_bad_one_is_refused(page, live_server, shot):
    town = Unit.objects.create(code="K-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    make_user("tb", town, Role.CLERK)
    problem = Problem.objects.create(
        unit=town,
        focus_area=FocusArea.objects.get(code="procedure"),
        description="执法全过程记录不完整",
        source=Problem.Source.SELF_CHECK,
        state=Problem.State.IN_PROGRESS,
        measures="补齐执法记录仪配备",
        responsible_person="张三",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    from tests.orgs.factories import PASSWORD

    login(page, live_server, "tb", PASSWORD)
    page.goto(f"{live_server.url}/ledger/{problem.pk}/")
    page.fill("#form-progress textarea[name=progress-text]", "已配齐执法记录仪 12 台")
    page.set_input_files(
        "#form-progress input[name=progress-files]",
        [
            {"name": "现场照片.png", "mimeType": "image/png", "buffer": png()},
            {"name": "说明.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"},
        ],
    )
    page.locator("#form-progress button").click()
    page.wait_for_selector("text=已上传：现场照片.png")
    main = page.locator("#form-progress").inner_text()
    assert "文件“说明.pdf”的类型不被接受" in main and "其余文件已保留" in main
    assert not problem.notes.exists()
    shot(page, "progress-file-kept", folder="kept-uploads")

    page.locator("#form-progress button").click()  # the note is still filled in
    page.wait_for_selector("text=整改进展已记录")
    note = problem.notes.get()
    assert note.text == "已配齐执法记录仪 12 台"
    assert [a.original_name for a in attachments_of(note)] == ["现场照片.png"]
    assert page.locator("a:has-text('现场照片.png')").count() == 1
    shot(page, "progress-saved-with-file", folder="kept-uploads")
