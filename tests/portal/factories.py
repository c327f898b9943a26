"""The public report form filled as a visitor would, captcha answered."""

import re

from jiandu.portal.models import CaptchaChallenge


def captcha_from(html: str) -> tuple[str, str]:
    """The challenge id in the page, and its answer read from the server-side table."""
    challenge_id = re.search(r'name="captcha_id" value="([^"]+)"', html).group(1)
    return challenge_id, CaptchaChallenge.objects.get(pk=challenge_id).answer


def report_form_data(client, **fields):
    page = client.get("/public/report/")
    assert page.status_code == 200
    challenge_id, answer = captcha_from(page.content.decode())
    data = {
        "category": "inspection",
        "description": "检查人员一个月来了三次，每次查同样的内容。",
        "identity": "anonymous",
        "captcha_id": challenge_id,
        "captcha_answer": answer,
    }
    data.update(fields)
    return data
