"""FocusArea is orgs' reference data (moved from `campaigns`, issue #10): the same table,
the base data loaded from orgs, old audit rows still read, and the ledger tied upward to
`campaigns` by nothing but the problem's campaign."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

import jiandu
from jiandu.audit.labels import details, model_for
from jiandu.orgs import base_data
from jiandu.orgs.models import FocusArea
from tests.lib import sources

pytestmark = pytest.mark.django_db


def test_focus_areas_are_orgs_base_data_on_their_old_table():
    assert FocusArea._meta.app_label == "orgs"
    assert FocusArea._meta.db_table == "campaigns_focusarea"
    base_data.load()  # again: updates by code, adds nothing twice
    assert [(a.code, a.name, a.description) for a in FocusArea.objects.all()] == list(
        base_data.FOCUS_AREAS
    )


def test_audit_rows_stored_under_the_old_app_still_name_the_model():
    assert model_for("campaigns.focusarea") is FocusArea  # found by its table
    assert model_for("orgs.focusarea") is FocusArea
    assert details(
        "ledger.problem.updated", {"focus_area": ["执法程序", "涉企检查"]}, "campaigns.focusarea"
    ) == [("重点领域", "执法程序 → 涉企检查")]


def test_the_ledger_models_tie_upward_only_through_the_problems_campaign():
    upward = {
        (model.__name__, field.name, field.related_model._meta.label)
        for model in apps.get_app_config("ledger").get_models()
        for field in (*model._meta.fields, *model._meta.many_to_many)  # its own, not reverse
        if field.related_model is not None
        and field.related_model._meta.app_label not in {"ledger", "orgs", "contenttypes"}
    }
    assert upward == {("Problem", "campaign", "campaigns.Campaign")}
    tree = sources.tree(Path(jiandu.__file__).parent / "ledger" / "models.py")
    top_level = [
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jiandu.")
    ]
    assert all(m.startswith(("jiandu.ledger", "jiandu.orgs")) for m in top_level), top_level
