"""The published-file transitions' checks: who may take them, in which state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiandu.standards import actions
from jiandu.standards.models import PublishedDraft

pytestmark = pytest.mark.django_db


def _draft(units, **fields):
    return PublishedDraft.objects.create(
        kind=fields.pop("kind", "benchmark"), title="表.xlsx", unit=units["a"], **fields
    )


def test_available_actions_by_persona(units, personas):
    draft = _draft(units)
    assert actions.available_draft_actions(draft, personas["supervisor"]) == {
        "correct",
        "confirm_mapping",
        "discard",
    }
    draft.mapping_confirmed = True
    assert "publish" in actions.available_draft_actions(draft, personas["supervisor"])
    assert actions.available_draft_actions(draft, personas["clerk_a"]) == {"correct", "discard"}
    assert actions.available_draft_actions(draft, personas["clerk_b"]) == set()
    assert actions.available_draft_actions(draft, personas["inspector"]) == set()


def test_checks_refuse_wrong_person_or_state(units, personas):
    draft = _draft(units, mapping_confirmed=True)
    with pytest.raises(PermissionDenied):
        actions.check_publish_draft(draft, personas["clerk_a"])
    draft.state = PublishedDraft.State.PUBLISHED
    with pytest.raises(ValidationError, match="已发布"):
        actions.check_correct_draft(draft, personas["supervisor"])
    lenient = _draft(units, kind="lenient")
    with pytest.raises(ValidationError, match="只有裁量基准"):
        actions.check_confirm_mapping(lenient, personas["supervisor"])
    actions.check_publish_draft(lenient, personas["supervisor"])  # no mapping for a list


def test_mapping_takes_only_platform_levels(units, personas):
    draft = _draft(units)
    with pytest.raises(ValidationError, match="阶次对应只能选"):
        actions.confirm_mapping(draft, actor=personas["supervisor"], mapping={"3": {"1": "x"}})
    draft.refresh_from_db()
    assert not draft.mapping_confirmed
