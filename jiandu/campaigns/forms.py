import re

from django import forms
from django.core.exceptions import ValidationError

from jiandu.campaigns.actions import validate_phases
from jiandu.campaigns.models import (
    Campaign,
    CampaignContact,
    Phase,
    SelfCheckItem,
    split_rule_ids,
)
from jiandu.core.forms import Form, ModelForm
from jiandu.orgs.models import FocusArea, Unit

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
    from_campaign = forms.ModelChoiceField(
        label="沿用往期专项行动",
        queryset=Campaign.objects.order_by("-id"),
        required=False,
        empty_label="不沿用：按县方案的默认自查表",
        help_text="新一年度的专项行动沿用所选专项行动的自查表、整治内容和阶段间隔；往期数据保持不变。",
    )


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
