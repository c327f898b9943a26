from django import forms

from jiandu.acceptance.models import Showcase
from jiandu.core.forms import Form
from jiandu.orgs.models import Unit


class AcceptanceForm(Form):
    opinion = forms.CharField(
        label="验收意见",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写验收意见。"},
    )
    open_reason = forms.CharField(
        label="尚有未销号问题仍予通过的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class BulkAcceptanceForm(Form):
    """批量验收通过: the ticked units (among those the page lists) and one opinion."""

    units = forms.ModelMultipleChoiceField(
        label="单位",
        queryset=Unit.objects.none(),
        error_messages={
            "required": "请勾选要验收通过的单位。",
            "invalid_choice": "所勾选的单位不在验收范围内。",
            "invalid_pk_value": "所勾选的单位不在验收范围内。",
        },
    )
    opinion = forms.CharField(
        label="验收意见",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写验收意见。"},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class ShowcaseForm(Form):
    kind = forms.ChoiceField(label="类别", choices=())
    title = forms.CharField(
        label="标题", max_length=200, error_messages={"required": "请填写标题。"}
    )
    summary = forms.CharField(
        label="简介",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写简介。"},
        help_text="一两句话说明做法和成效，将写入总结报告。",
    )
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Showcase.Kind.choices
        if user.is_supervisor:
            self.fields["unit"].queryset = Unit.objects.enforcement().active()
            self.fields["unit"].help_text = "不选表示全县性的做法。"
        else:
            del self.fields["unit"]
