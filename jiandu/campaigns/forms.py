import re

from django import forms
from django.core.exceptions import ValidationError

from jiandu.campaigns.actions import validate_phases
from jiandu.campaigns.models import (
    Campaign,
    CampaignContact,
    FocusArea,
    Phase,
    SelfCheckItem,
    split_rule_ids,
)
from jiandu.core.forms import Form, ModelForm
from jiandu.orgs.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RULE_ID = re.compile(r"^[A-Z]{4}-\d{2}$")


class CampaignForm(ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "doc_no", "lead_unit", "description", "public_notice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True)


class PhaseDatesForm(Form):
    """Start and end of each of the four phases; in order and without overlap."""

    def __init__(self, *args, campaign=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if campaign is not None:
            for phase in campaign.phases.all():
                initial[f"start_{phase.kind}"] = phase.start
                initial[f"end_{phase.kind}"] = phase.end
        super().__init__(*args, initial=initial, **kwargs)
        for kind, label in Phase.Kind.choices:
            self.fields[f"start_{kind}"] = forms.DateField(label=f"{label} 开始", widget=DATE)
            self.fields[f"end_{kind}"] = forms.DateField(label=f"{label} 结束", widget=DATE)

    def rows(self):
        return [
            (label, self[f"start_{kind}"], self[f"end_{kind}"])
            for kind, label in Phase.Kind.choices
        ]

    def clean(self):
        data = super().clean()
        dates = {
            kind: (data.get(f"start_{kind}"), data.get(f"end_{kind}"))
            for kind, _label in Phase.Kind.choices
            if f"start_{kind}" not in self.errors and f"end_{kind}" not in self.errors
        }
        for kind, message in validate_phases(dates).items():
            self.add_error(f"start_{kind}", message)
        return data

    def phases(self):
        return {
            kind: (self.cleaned_data[f"start_{kind}"], self.cleaned_data[f"end_{kind}"])
            for kind, _label in Phase.Kind.choices
        }


class ContactForm(ModelForm):
    class Meta:
        model = CampaignContact
        fields = ["name", "phone", "duty", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)


class CreateCampaignForm(Form):
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.filter(kind=Unit.Kind.JUSTICE, is_active=True)
    )
    start = forms.DateField(label="开始日期", widget=DATE, help_text="各阶段按县方案的间隔顺延。")


class ItemForm(ModelForm):
    class Meta:
        model = SelfCheckItem
        fields = ["focus_area", "text", "guidance", "rules"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.all()

    def clean_rules(self):
        ids = split_rule_ids(self.cleaned_data["rules"])
        bad = [r for r in ids if not RULE_ID.match(r)]
        if bad:
            raise ValidationError(f"规则编号格式不正确：{'、'.join(bad)}（应如 DISC-01）。")
        return ",".join(ids)


# ---------------------------------------------------------------- 验收, 最佳案例


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
        from jiandu.campaigns.models import Showcase

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Showcase.Kind.choices
        if user.is_supervisor:
            self.fields["unit"].queryset = Unit.objects.enforcement().active()
            self.fields["unit"].help_text = "不选表示全县性的做法。"
        else:
            del self.fields["unit"]
