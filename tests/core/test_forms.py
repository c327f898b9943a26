"""One way to style forms (jiandu.core.forms): every project form renders its controls with
the Bootstrap class for the widget type, none sets a class of its own, and an invalid
field shows is-invalid with its message next to it."""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.template.loader import render_to_string

import jiandu
from jiandu.core.forms import CapsFreeText, Form, ProjectForm, bootstrap_class
from jiandu.ledger.forms import ProblemForm
from jiandu.monitoring.forms import CompareForm, ReasonForm
from jiandu.portal.forms import ComplaintForm
from jiandu.selfcheck.forms import AnswerForm


def project_form_classes():
    """Every Form class defined in a forms module of a jiandu app, and the admin's."""
    found = set()
    for app in pkgutil.iter_modules(jiandu.__path__):
        for name in ("forms", "admin"):
            try:
                module = importlib.import_module(f"jiandu.{app.name}.{name}")
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                ):
                    found.add(value)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


FORMS = project_form_classes()


def test_the_walk_finds_the_forms_of_every_app():
    apps = {c.__module__.split(".")[1] for c in FORMS}
    assert {"campaigns", "enforcement", "intake", "ledger", "orgs", "portal"} <= apps
    assert {"selfcheck", "standards", "supervision", "monitoring", "workdays"} <= apps
    assert len(FORMS) > 50


@pytest.mark.parametrize("cls", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_form_uses_the_one_mechanism_and_sets_no_class(cls):
    if cls.__module__.endswith(".admin"):
        # Django's admin styles its own pages; the form still caps free text.
        assert issubclass(cls, CapsFreeText)
        return
    assert issubclass(cls, ProjectForm), "derive from jiandu.core.forms.Form/ModelForm"
    for name, field in cls.base_fields.items():
        assert "class" not in field.widget.attrs, f"{name}: styling belongs to jiandu.core.forms"


def _answer():
    blank = dict.fromkeys(["description", "cause", "measures", "responsible_person"], "")
    return SimpleNamespace(pk=1, has_problem=None, deadline=None, **blank)


def _instances():
    """Forms as their pages build them, with the fields they add in __init__."""
    from jiandu.monitoring.rules.declaration import Param

    answer = _answer()
    rule = SimpleNamespace(
        params=(
            Param("days", "天数", 3),
            Param("z", "阈值", 1.5, kind="float"),
            Param("day_type", "日的类型", "work", kind="day_type", choices=("work",)),
        )
    )
    from jiandu.monitoring.forms import RuleSettingForm
    from jiandu.supervision.forms import ReviewForm

    return [
        AnswerForm(answer=answer),
        RuleSettingForm(rule),
        ReviewForm(
            visit=SimpleNamespace(unit=None), rubric=[{"code": "a", "name": "卷", "max": 5}]
        ),
        ProblemForm(sources=["supervision"]),
        ComplaintForm(),
    ]


@pytest.mark.django_db
def test_rendering_gives_the_bootstrap_class_of_each_widget():
    for form in _instances():
        for bound in form:
            widget = bound.field.widget
            if widget.is_hidden:
                assert 'class="' not in str(bound), bound.name
                continue
            expected = bootstrap_class(widget, form.control_size)
            if isinstance(widget, forms.RadioSelect):  # radios and checkbox lists
                assert all(f'class="{expected}"' in option.tag() for option in bound)
            else:
                assert f'class="{expected}' in str(bound), (type(form).__name__, bound.name)


@pytest.mark.django_db
def test_classes_by_widget_type_and_size():
    text = str(ProblemForm(sources=["supervision"])["description"])
    assert 'class="form-control"' in text and "<textarea" in text
    assert 'class="form-select"' in str(ProblemForm(sources=["supervision"])["severity"])
    public = ComplaintForm()
    assert 'class="form-select form-select-lg"' in str(public["reported_unit"])
    assert 'class="form-control form-control-lg"' in str(public["place"])
    assert 'class="form-control form-control-sm"' in str(CompareForm()["year"])
    answer = _answer()
    form = AnswerForm(answer=answer)
    assert 'class="form-control form-control-sm"' in str(form["files"])  # the field's size
    assert 'class="form-control"' in str(form["cause"]) and 'rows="2"' in str(form["cause"])


def test_a_checkbox_list_puts_the_class_on_its_options_not_on_the_list():
    class Choose(Form):
        picks = forms.MultipleChoiceField(
            choices=[("a", "甲"), ("b", "乙")], widget=forms.CheckboxSelectMultiple
        )
        agree = forms.BooleanField()

    form = Choose()
    assert 'class="form-check-input"' in str(form["agree"])
    assert [str(o.tag()).count('class="form-check-input"') for o in form["picks"]] == [1, 1]
    assert 'class="form-check-input"' not in str(form["picks"]).split(">")[0]


def test_an_invalid_field_is_marked_with_its_message_next_to_it():
    form = ReasonForm({"reason": ""})
    assert not form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["reason"]})
    assert 'class="form-control is-invalid"' in html
    textarea_end = html.index("</textarea>")
    message = html.index('<div class="invalid-feedback d-block">请填写排除理由。</div>')
    assert message > textarea_end  # right after the control, inside the field's group
    # A valid field is not marked.
    ok = ReasonForm({"reason": "理由"})
    assert ok.is_valid()
    assert "is-invalid" not in str(ok["reason"])


def test_field_group_is_the_include_with_help_text_and_required_mark():
    form = CompareForm({"year": "12"})
    assert not form.is_valid()
    html = form["year"].as_field_group()
    assert 'class="form-control form-control-sm is-invalid"' in html
    assert '<label class="form-label" for="id_year">决定年度</label>' in html
    assert "决定年度应为四位年份，如 2025。" in html
    group = ReasonForm()["reason"].as_field_group()
    assert '<span class="text-danger">*</span>' in group


def test_free_text_cap_reaches_fields_added_after_init(settings):
    settings.TEXT_MAX_CHARS = 10

    class Late(Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["note"] = forms.CharField(widget=forms.Textarea)

    form = Late({"note": "字" * 11})
    assert not form.is_valid()
    assert "10" in form.errors["note"][0]
    assert 'maxlength="10"' in str(form["note"])
    # A field's own max_length and JSON data are left as they are.
    settings.TEXT_MAX_CHARS = 5000

    class Own(Form):
        code = forms.CharField(max_length=8)
        data = forms.JSONField(required=False)

    own = Own()
    assert own.fields["code"].max_length == 8
    assert own.fields["data"].max_length is None
