"""Fixtures of the reminder tests: a short ladder, e-mail on, every persona with an
address, and a problem of unit A due on a Monday."""

import pytest

from tests.reminders.helpers import Robot, make_problem


@pytest.fixture
def ladder_settings(settings):
    settings.REMINDER_LADDER = {
        "problem": {"before": 2, "letter": 2, "supervision": 3},
        "selfcheck": {"before": 2, "letter": 2, "supervision": 3},
        "complaint": {"before": 2, "letter": 2, "supervision": 3},
        "lead": {"before": 2, "letter": None, "supervision": None},
    }
    settings.JIANDU_EMAIL_ENABLED = True
    settings.JIANDU_PUBLIC_URL = "https://jiandu.example.gov.cn"
    settings.JIANDU_WEBHOOK_URL = ""
    settings.REMINDER_SEND_TRIES = 2
    settings.REMINDER_SEND_BACKOFF = 0.01
    settings.REMINDER_LEAD_DAYS = 15
    return settings


@pytest.fixture
def people(personas):
    for name, user in personas.items():
        user.email = f"{name}@example.gov.cn"
        user.save(update_fields=["email"])
    return personas


@pytest.fixture
def problem(units, people, ladder_settings):
    return make_problem(units["a"])


@pytest.fixture
def robot():
    made = []

    def make(fail=0):
        made.append(Robot(fail))
        return made[-1]

    yield make
    for r in made:
        r.close()
